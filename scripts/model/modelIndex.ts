// Writes <modelsDir>/index.json: the installed models and the default one (the app reads it).
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { buildModelIndex, type ModelIndex } from '../../src/encoders/modelIndex.ts';
import { CATALOG } from './pinnedModels.ts';

export async function writeModelIndex(modelsDir: string): Promise<ModelIndex> {
  const manifests: ModelManifest[] = [];
  for (const dir of await readdir(modelsDir, { withFileTypes: true })) {
    const path = join(modelsDir, dir.name, 'manifest.json');
    if (dir.isDirectory() && existsSync(path))
      manifests.push(JSON.parse(await readFile(path, 'utf8')) as ModelManifest);
  }
  const rank = (id: string) => CATALOG.find((e) => e.manifest.id === id)?.rank ?? 0;
  const index = buildModelIndex(manifests, rank);
  await writeFile(join(modelsDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}
