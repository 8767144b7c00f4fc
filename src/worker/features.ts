// Encoded features per image, cached in the worker so that re-running a batch (after a cancel,
// a settings change that does not touch the encoder, or added images) skips encoding. On WebGPU
// our kernels resample the taps where the encoder left them; they come back to CPU memory in the
// background (the session puts them into its own feature slots, and they outlive a lost GPU
// device), and their GPU copies are freed once read back.
import { isGrayscale } from '../engine/screening/colour.ts';
import { encodeImages } from '../encoders/encode.ts';
import type { ModelManifest } from '../encoders/manifest.ts';
import type { EncoderRunner } from '../encoders/runner.ts';
import { featureGrid } from '../encoders/taps.ts';
import { decodeRgb } from '../platform/browser/decode.ts';
import { encodeOnDevice } from '../encoders/web/deviceTaps.ts';
import { runSession } from '../encoders/web/ortWeb.ts';
import { throwIfAborted } from '../engine/errors.ts';
import { oneImage } from '../engine/layers.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';
import type { LayerFeatures, LayerShape, MuscInput } from '../engine/types.ts';
import { ortGpuMusc } from './gpuMusc.ts';
import type { Loaded } from './models.ts';
import type { ImageRef, LoadedModel } from './protocol.ts';

/** One image's encoder output: every tap of the manifest (in its order) and the embedding. */
export interface ImageFeatures {
  /** the taps in CPU memory: at once on WASM, read back in the background on WebGPU */
  host: Promise<LayerFeatures[]>;
  embedding: Promise<Float32Array | null>;
  embedDim: number;
  /** decoded to grey pixels only, for the session's screening (engine screening/colour.ts) */
  grayscale: boolean;
}

const cache = new Map<string, ImageFeatures>();

/** What the features of one image depend on besides its bytes. */
export interface EncodeGeometry {
  inputSize: number;
  /** CNN models: the common feature grid, null for the model's default */
  grid: number | null;
}

function modelKey({ modelId, variant, backendInfo }: LoadedModel): string {
  return `${modelId}/${variant}/${backendInfo.backend}/`;
}

function cacheKey(model: Loaded, geometry: EncodeGeometry, image: ImageRef): string {
  return `${modelKey(model.reply)}${geometry.inputSize}/${geometry.grid ?? 'default'}/${image.key}`;
}

/** A pending read-back that fails (a lost device) must not surface as an unhandled rejection. */
function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Hands the features `from` encoded, as far as they came back to CPU memory before a device loss,
 * to `to` when both are the same model and variant on another backend: after the GPU device is
 * lost mid-run, the WASM retry encodes only the images not read back yet. WebGPU and WASM agree
 * to ~1e-6 relative (e2e foundation spec); another variant (fp16 on the GPU) would not, so it is
 * not carried.
 */
export async function carryFeatures(from: LoadedModel, to: LoadedModel): Promise<void> {
  if (from.modelId !== to.modelId || from.variant !== to.variant) return;
  const [old, next] = [modelKey(from), modelKey(to)];
  if (old === next) return;
  for (const [key, features] of [...cache]) {
    if (!key.startsWith(old)) continue;
    cache.delete(key);
    const [host, embedding] = await Promise.all([features.host, features.embedding]).catch(() => [null, null]);
    if (host)
      cache.set(next + key.slice(old.length), {
        ...features,
        host: Promise.resolve(host),
        embedding: Promise.resolve(embedding),
      });
  }
}

function runnerFor(model: Loaded, inputSize: number): EncoderRunner {
  return { run: (input, batch) => runSession(model.session, model.manifest.input.name, input, batch, inputSize) };
}

/** Several images in one encoder call, each cached on its own (a copy, so one image's eviction frees its memory). */
async function encodeOnCpu(
  model: Loaded,
  images: RgbImage[],
  geometry: EncodeGeometry,
  signal: AbortSignal,
): Promise<ImageFeatures[]> {
  const options = { size: geometry.inputSize, grid: geometry.grid ?? undefined, batchSize: images.length, signal };
  const input = await encodeImages(runnerFor(model, geometry.inputSize), model.manifest, images, options);
  const { embeddings, embedDim } = input;
  return images.map((_, n) => {
    const layers = input.layers.map((layer) => {
      const one = oneImage(layer, n);
      return { ...one, data: one.data.slice() };
    });
    return {
      host: Promise.resolve(layers),
      embedding: Promise.resolve(embeddings && embeddings.slice(n * embedDim, (n + 1) * embedDim)),
      embedDim,
      grayscale: isGrayscale(images[n]),
    };
  });
}

async function encodeOnGpu(model: Loaded, image: RgbImage, geometry: EncodeGeometry): Promise<ImageFeatures> {
  const { manifest } = model;
  const musc = await ortGpuMusc();
  const grid = featureGrid(manifest, geometry.inputSize, geometry.grid ?? undefined);
  const { layers, embedding } = await encodeOnDevice(model.session, manifest, musc, image, geometry.inputSize, grid);
  const freed = () => layers.forEach((layer) => layer.perImage.forEach((buffer) => buffer.destroy()));
  return {
    host: quietly(Promise.all(layers.map(musc.download)).finally(freed)),
    embedding: quietly(embedding),
    embedDim: manifest.embedding?.dim ?? 0,
    grayscale: isGrayscale(image),
  };
}

/**
 * Images per encoder call on the CPU. onnxruntime's WASM kernels keep both cores busier on a
 * batch than on one image: the app bench's encoding took about half the time at 4 (README,
 * "Speed"). The GPU path encodes one at a time (no faster batched on SwiftShader).
 */
const CPU_ENCODER_BATCH = 4;

/**
 * Features of every image, encoding only those not cached. Progress counts images ready and
 * `onEncoded` hears of each group as soon as it is cached (the session scores it while the next
 * group encodes); an abort keeps the images encoded so far. Cached entries of images not in this
 * batch are dropped so memory stays bounded by the batch.
 */
export async function featuresFor(
  model: Loaded,
  geometry: EncodeGeometry,
  images: ImageRef[],
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
  onEncoded: (indices: number[], features: ImageFeatures[]) => void = () => undefined,
): Promise<{ features: ImageFeatures[]; encodedNow: number }> {
  const keys = images.map((image) => cacheKey(model, geometry, image));
  const wanted = new Set(keys);
  for (const key of cache.keys()) if (!wanted.has(key)) cache.delete(key);
  const gpu = model.reply.backendInfo.backend === 'webgpu';
  const missing = images.flatMap((_, n) => (cache.has(keys[n]) ? [] : [n]));
  const groupSize = gpu ? 1 : CPU_ENCODER_BATCH;
  const groups = Array.from({ length: Math.ceil(missing.length / groupSize) }, (_, g) =>
    missing.slice(g * groupSize, (g + 1) * groupSize),
  );
  // The browser decodes off this thread: the next group decodes while this one encodes.
  const decode = (group: number[] | undefined) =>
    group && quietly(Promise.all(group.map((n) => decodeRgb(images[n].blob, images[n].name))));
  let done = images.length - missing.length;
  onProgress(done, images.length);
  // An image is ready once its features are in CPU memory: on the GPU after its read-back, which
  // overlaps the next image's encoding. A device lost after that keeps it (carryFeatures).
  const readBack: Promise<unknown>[] = [];
  let decoded = decode(groups[0]);
  for (const [g, group] of groups.entries()) {
    throwIfAborted(signal);
    const rgb = await (decoded as Promise<RgbImage[]>);
    decoded = decode(groups[g + 1]);
    const encoded = gpu
      ? [await encodeOnGpu(model, rgb[0], geometry)]
      : await encodeOnCpu(model, rgb, geometry, signal);
    group.forEach((n, i) => cache.set(keys[n], encoded[i]));
    const read = Promise.all(encoded.map((f) => f.host));
    readBack.push(quietly(read.then(() => onProgress((done += group.length), images.length))));
    onEncoded(group, encoded);
  }
  await Promise.all(readBack);
  return { features: keys.map((k) => cache.get(k) as ImageFeatures), encodedNow: missing.length };
}

/** The chosen taps of the manifest, by their index in each image's layers. */
function chosenTaps(manifest: ModelManifest, taps: readonly string[]): number[] {
  return manifest.taps.flatMap((t, index) => (taps.includes(t.name) ? [index] : []));
}

async function batchEmbeddings(features: ImageFeatures[]): Promise<Pick<MuscInput, 'embeddings' | 'embedDim'>> {
  const each = await Promise.all(features.map((f) => f.embedding));
  const embedDim = features[0].embedDim;
  if (!each.every((e): e is Float32Array => e !== null)) return { embeddings: null, embedDim };
  const embeddings = new Float32Array(embedDim * features.length);
  each.forEach((e, n) => embeddings.set(e, n * embedDim));
  return { embeddings, embedDim };
}

const shapeOf = ({ grid, dim, skip }: LayerShape, images: number): LayerShape => ({ images, grid, dim, skip });

/** One image's chosen taps in CPU memory (waits for its read-back on WebGPU). */
export async function hostTaps(
  manifest: ModelManifest,
  features: ImageFeatures,
  taps: readonly string[],
): Promise<LayerFeatures[]> {
  const host = await features.host;
  return chosenTaps(manifest, taps).map((index) => host[index]);
}

/** The batch with the chosen taps in CPU memory, concatenated per layer (waits for any read-back still running). */
export async function assembleOnHost(
  manifest: ModelManifest,
  features: ImageFeatures[],
  taps: readonly string[],
): Promise<MuscInput> {
  const hosts = await Promise.all(features.map((f) => f.host));
  const layers = chosenTaps(manifest, taps).map((index) => {
    const perImage = hosts[0][index].data.length;
    const data = new Float32Array(perImage * hosts.length);
    hosts.forEach((h, n) => data.set(h[index].data, n * perImage));
    return { ...shapeOf(hosts[0][index], hosts.length), data };
  });
  return { layers, ...(await batchEmbeddings(features)) };
}
