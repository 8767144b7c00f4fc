#!/usr/bin/env node
// `muscope` on the PATH: runs the TypeScript CLI through tsx's loader, resolved from the
// package itself so it works from any folder.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href,
    '--import',
    pathToFileURL(join(root, 'tooling/node/wat.mjs')).href,
    join(root, 'src/cli/main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
