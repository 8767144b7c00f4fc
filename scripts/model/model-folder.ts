// Writes an installed model folder: model.onnx plus the manifest.json describing it (docs/architecture-platform.md §2).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmbeddingSpec, ModelManifest, TapSpec } from '../../src/encoders/manifest.ts';
import { readManifest } from '../files/manifest.ts';
import { keepCheck } from './webgpuCheckRecord.ts';
import { type onnx, writeModel } from '../onnx/index.ts';
import { familyTraits, type VitFamily } from './families.ts';

export interface ModelDescription {
  id: string;
  displayName: string;
  family: VitFamily;
  fixture: boolean;
  license: string;
  source: string;
  inputName: string;
  size: number;
  taps: TapSpec[];
  embedding: EmbeddingSpec;
  notes?: string;
}

export const modelFileName = 'model.onnx';

export async function writeModelFolder(
  dir: string,
  model: onnx.IModelProto,
  description: ModelDescription,
): Promise<ModelManifest> {
  await mkdir(dir, { recursive: true });
  const written = await writeModel(join(dir, modelFileName), model);
  const traits = familyTraits[description.family];
  const manifest: ModelManifest = {
    schema: 1,
    id: description.id,
    displayName: description.displayName,
    family: description.family,
    fixture: description.fixture,
    license: description.license,
    source: description.source,
    input: {
      name: description.inputName,
      size: description.size,
      layout: 'nchw',
      resize: traits.resize,
      normalization: traits.normalization,
    },
    taps: description.taps,
    embedding: description.embedding,
    // An unchanged file keeps its install-time WebGPU check (fixtures are rewritten on every install).
    variants: [
      keepCheck(await readManifest(join(dir, 'manifest.json')), {
        dtype: 'fp32',
        file: modelFileName,
        bytes: written.bytes,
        sha256: written.sha256,
        backends: ['webgpu', 'wasm', 'node'],
      }),
    ],
    ...(description.notes ? { notes: description.notes } : {}),
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
