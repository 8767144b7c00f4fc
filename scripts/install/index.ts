// `npm install` ends here: onnxruntime's runtime files, the models (integrity-checked), the
// fixture encoders, the model index and the demo set. Idempotent: a second run copies nothing.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { buildModelIndex } from '../../src/encoders/modelIndex.ts';
import { CATALOG } from './catalog.ts';
import { installDemo } from './demo.ts';
import { installCatalog, ModelInstallError } from './models.ts';
import { installOrtRuntime } from './ort.ts';
import { modelsDir } from './paths.ts';

const log = (line: string) => console.error(`[muscope install] ${line}`);

async function writeModelIndex(): Promise<void> {
  const manifests: ModelManifest[] = [];
  for (const dir of await readdir(modelsDir, { withFileTypes: true })) {
    const path = join(modelsDir, dir.name, 'manifest.json');
    if (dir.isDirectory() && existsSync(path)) manifests.push(JSON.parse(await readFile(path, 'utf8')) as ModelManifest);
  }
  const rank = (id: string) => CATALOG.find((e) => e.manifest.id === id)?.rank ?? 0;
  const index = buildModelIndex(manifests, rank);
  await writeFile(join(modelsDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  log(`models: ${index.models.map((m) => m.id + (m.fixture ? ' (fixture)' : '')).join(', ')}; default ${index.default}`);
}

async function main(): Promise<void> {
  await installOrtRuntime(log);
  await installCatalog(log);
  await writeModelIndex();
  await installDemo(log);
}

main().catch((err: unknown) => {
  if (err instanceof ModelInstallError) {
    console.error(`\n[muscope install] ${err.message}\n`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
