// How the CLI tests run `muscope` as a user does: a child process through tsx, on the installed
// default model and the MVTec bottle images beside the checkout (the tests skip without them).

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODELS_DIR } from '../platform/node/models.ts';

export const REPO = join(import.meta.dirname, '../..');
export const BOTTLE = join(REPO, '../shared/data/mvtec_ad/bottle');
export const MODEL = 'resnet50v2-imagenet-trunk';
export const ready = existsSync(join(MODELS_DIR, MODEL, 'manifest.json')) && existsSync(BOTTLE);
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const WAT = pathToFileURL(join(REPO, 'tooling/node/wat.mjs')).href;
const argsFor = (args: readonly string[]) => ['--import', TSX, '--import', WAT, join(REPO, 'src/cli/main.ts'), ...args];

export function runMuscope(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runMuscopeOn([], cwd, ...args);
}

/** `muscope` with Node options before the script, e.g. `--require` of a preload that stands in for the machine. */
export function runMuscopeOn(
  nodeOptions: readonly string[],
  cwd: string,
  ...args: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeOptions, ...argsFor(args)], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A long-running `muscope` (watch): its output so far, and a way to wait for more. */
export interface RunningMuscope {
  readonly process: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** resolves once `seen` holds for the output, rejects after timeoutMs */
  until(seen: (stdout: string, stderr: string) => boolean, timeoutMs: number): Promise<void>;
  exited(): Promise<number | null>;
}

export function startMuscope(cwd: string, ...args: string[]): RunningMuscope {
  const child = spawn(process.execPath, argsFor(args), { cwd });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), wake()));
  child.stderr.on('data', (d: Buffer) => ((err += d.toString()), wake()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => (wake(), resolve(code))));
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    until(seen, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!seen(out, err)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    exited: () => exit,
  };
}

/** A float32 .npy file's values (the maps `score` and `watch` write). */
export function readNpyFloat32(path: string): Float32Array {
  const npy = readFileSync(path);
  const header = npy[8] | (npy[9] << 8);
  return new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + header, npy.byteOffset + npy.length));
}
