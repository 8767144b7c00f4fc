// Writes an installed model folder: model.onnx plus the manifest.json describing it
// (docs/architecture-platform.md §2; the manifest itself is built by src/encoders/import/modelManifest.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import {
  buildManifest,
  fp32Variant,
  modelFileName,
  type ModelDescription,
} from '../../src/encoders/import/modelManifest.ts';
import { readManifest } from '../files/manifest.ts';
import { keepCheck } from './webgpuCheckRecord.ts';
import { type onnx, writeModel } from '../onnx/index.ts';

export async function writeModelFolder(
  dir: string,
  model: onnx.IModelProto,
  description: ModelDescription,
): Promise<ModelManifest> {
  await mkdir(dir, { recursive: true });
  const written = await writeModel(join(dir, modelFileName), model);
  // An unchanged file keeps its install-time WebGPU check (fixtures are rewritten on every install).
  const fp32 = keepCheck(await readManifest(join(dir, 'manifest.json')), fp32Variant(written));
  const manifest = buildManifest(description, fp32);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
