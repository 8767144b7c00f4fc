// Runs an installed model in onnxruntime-node on the same deterministic input the browser's probe uses.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { probeInput } from '../../src/encoders/probeInput.ts';

const models = join(process.cwd(), 'public/models');

export async function runFixtureInNode(modelId: string): Promise<Record<string, { dims: number[]; data: number[] }>> {
  const manifest = JSON.parse(await readFile(join(models, modelId, 'manifest.json'), 'utf8')) as ModelManifest;
  const fp32 = manifest.variants.find((v) => v.dtype === 'fp32')!;
  const session = await ort.InferenceSession.create(join(models, modelId, fp32.file));
  const size = manifest.input.size;
  const out = await session.run({ [manifest.input.name]: new ort.Tensor('float32', probeInput(size), [1, 3, size, size]) });
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dims: [...t.dims], data: Array.from(t.data as Float32Array) }]));
}
