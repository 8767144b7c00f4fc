// onnxruntime-web's WebGPU backend in Node through Dawn (webgpu.ts) as an EncoderRunner: the app's
// GPU encoder path, so `muscope eval --encoder webgpu` measures what WebGPU's half-precision
// arithmetic does to a variant's accuracy (onnxruntime-node runs fp16 files in fp32).
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web/webgpu';
import { EncoderError } from '../../encoders/errors.ts';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { createSession, runSession } from '../../encoders/web/ortWeb.ts';
import { inputSide, type NodeEncoderRunner } from './ortRunner.ts';
import { ortWebGpuInNode } from './webgpu.ts';

/** A runner on Dawn's adapter (named in `adapter`), or why there is none. */
export async function createWebGpuRunner(
  modelPath: string,
  manifest: ModelManifest,
): Promise<(NodeEncoderRunner & { adapter: GPUAdapterInfo }) | { unavailable: string }> {
  const found = await ortWebGpuInNode();
  if ('unavailable' in found) return found;
  ort.env.logLevel = 'error';
  const bytes = await readFile(modelPath);
  let session: ort.InferenceSession;
  try {
    session = await createSession('webgpu', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (err) {
    throw new EncoderError(
      'session-failed',
      `onnxruntime-web could not load ${modelPath} on WebGPU: ${(err as Error).message}`,
    );
  }
  return {
    adapter: found.adapter.info,
    run: async (input, batch) => runSession(session, manifest.input.name, input, batch, inputSide(input, batch)),
    close: () => session.release(),
  };
}
