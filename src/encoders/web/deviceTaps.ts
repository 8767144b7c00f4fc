// One image through a WebGPU session whose taps stay on the GPU (preferredOutputLocation
// 'gpu-buffer', see ortWeb.ts createSession): src/gpu turns them into patch tokens there, so
// nothing comes back to the CPU on the way to scoring but the C values of a CNN embedding.
import * as ort from 'onnxruntime-web/webgpu';
import type { RgbImage } from '../../engine/preprocess/index.ts';
import type { DeviceLayer, TapSource, WebGpuMusc } from '../../gpu/index.ts';
import { l2NormalizeInto } from '../../engine/vector.ts';
import { encoderInput } from '../encode.ts';
import { EncoderError } from '../errors.ts';
import type { ModelManifest, TapSpec } from '../manifest.ts';
import { batchEmbeddings, globalAverageSpec, leadingTokens, missingOutput, nchwSize, tokenCount } from '../taps.ts';

export interface DeviceImageFeatures {
  /** one per manifest tap, in its order, of this one image */
  layers: DeviceLayer[];
  /** the RsCIN embedding [E] (null when the model has none), once read back */
  embedding: Promise<Float32Array | null>;
}

function onGpu(outputs: ort.InferenceSession.ReturnType, name: string): ort.Tensor & { gpuBuffer: GPUBuffer } {
  const tensor = outputs[name];
  if (!tensor) throw missingOutput(name);
  if (tensor.location !== 'gpu-buffer')
    throw new EncoderError('bad-output', `Encoder output "${name}" was not left on the GPU.`);
  return tensor as ort.Tensor & { gpuBuffer: GPUBuffer };
}

function tapSource(tap: TapSpec, dims: readonly number[], grid: number): TapSource {
  if (tap.layout === 'tokens') return { layout: 'tokens', tokens: tokenCount(tap, dims, 1, grid), dim: tap.dim };
  const [height, width] = nchwSize(dims, tap.name, 1, tap.dim);
  return { layout: 'nchw', channels: tap.dim, height, width };
}

/** Submits the embedding's work (on the GPU when its output is a tap there) and gives its read-back. */
async function embeddingOf(
  manifest: ModelManifest,
  outputs: ort.InferenceSession.ReturnType,
  musc: WebGpuMusc,
): Promise<{ read: Promise<Float32Array | null> }> {
  const spec = manifest.embedding;
  if (!spec) return { read: Promise.resolve(null) };
  const tensor = outputs[spec.name];
  if (tensor?.location !== 'gpu-buffer') {
    const data = (await tensor?.getData()) as Float32Array | undefined;
    return {
      read: Promise.resolve(
        batchEmbeddings(manifest, data ? { [spec.name]: { dims: [...tensor.dims], data } } : {}, 1),
      ),
    };
  }
  const { dim } = globalAverageSpec(manifest);
  const [height, width] = nchwSize(tensor.dims, spec.name, 1, dim);
  const { values } = await musc.channelMeans(onGpu(outputs, spec.name).gpuBuffer, dim, height, width);
  const read = values.then((means) => {
    const embedding = new Float32Array(dim);
    l2NormalizeInto(means, 0, embedding, 0, dim);
    return embedding;
  });
  return { read };
}

/** Encodes one image on the session's GPU; the caller owns the returned layers' buffers. */
export async function encodeOnDevice(
  session: ort.InferenceSession,
  manifest: ModelManifest,
  musc: WebGpuMusc,
  image: RgbImage,
  size: number,
  grid: number,
): Promise<DeviceImageFeatures> {
  const input = new ort.Tensor('float32', encoderInput(manifest, [image], size), [1, 3, size, size]);
  const outputs = await session.run({ [manifest.input.name]: input });
  const layers: DeviceLayer[] = [];
  try {
    for (const tap of manifest.taps) {
      const tensor = onGpu(outputs, tap.name);
      const tokens = await musc.tapTokens(tensor.gpuBuffer, tapSource(tap, tensor.dims, grid), grid);
      layers.push({ images: 1, grid, dim: tap.dim, skip: leadingTokens(tap), perImage: [tokens] });
    }
    const { read } = await embeddingOf(manifest, outputs, musc);
    return { layers, embedding: read };
  } catch (err) {
    for (const layer of layers) layer.perImage.forEach((b) => b.destroy());
    throw err;
  } finally {
    // Our copies and kernels are submitted by now; onnxruntime may reuse its buffers after them.
    for (const tensor of Object.values(outputs)) tensor.dispose();
  }
}
