// Runs an installed model in onnxruntime-node on the same deterministic input the browser's probe uses.
import * as ort from 'onnxruntime-node';
import { probeInput } from '../../../src/encoders/probeInput.ts';
import { loadManifest, verifiedVariantPath } from '../../../src/platform/node/models.ts';

export async function runFixtureInNode(modelId: string): Promise<Record<string, { dims: number[]; data: number[] }>> {
  const manifest = loadManifest(modelId);
  const { path } = await verifiedVariantPath(manifest, 'fp32');
  const session = await ort.InferenceSession.create(path);
  const size = manifest.input.size;
  const out = await session.run({
    [manifest.input.name]: new ort.Tensor('float32', probeInput(size), [1, 3, size, size]),
  });
  await session.release();
  return Object.fromEntries(
    Object.entries(out).map(([k, t]) => [k, { dims: [...t.dims], data: Array.from(t.data as Float32Array) }]),
  );
}
