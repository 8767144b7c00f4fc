// Encoded features per image, cached in the worker so that re-running a batch (after a cancel,
// a settings change that does not touch the encoder, or added images) skips encoding.
import { encodeImages } from '../encoders/encode.ts';
import type { ModelManifest } from '../encoders/manifest.ts';
import type { EncoderRunner } from '../encoders/runner.ts';
import { decodeRgb } from '../encoders/web/decode.ts';
import { runSession } from '../encoders/web/ortWeb.ts';
import { throwIfAborted } from '../engine/errors.ts';
import type { LayerFeatures, MuscInput } from '../engine/types.ts';
import type { Loaded } from './models.ts';
import type { ImageRef, LoadedModel } from './protocol.ts';

/** One image's encoder output: every tap of the manifest (in its order) and the embedding. */
interface ImageFeatures {
  layers: LayerFeatures[];
  embedding: Float32Array | null;
  embedDim: number;
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

/**
 * Hands the features `from` encoded (read back to the CPU, so untouched by a later device loss)
 * to `to` when both are the same model and variant on another backend: after the GPU device is
 * lost mid-run, the WASM retry encodes only the images not done yet. WebGPU and WASM agree to
 * ~1e-6 relative (e2e foundation spec); another variant (fp16 on the GPU) would not, so it is
 * not carried.
 */
export function carryFeatures(from: LoadedModel, to: LoadedModel): void {
  if (from.modelId !== to.modelId || from.variant !== to.variant) return;
  const [old, next] = [modelKey(from), modelKey(to)];
  if (old === next) return;
  for (const [key, features] of [...cache]) {
    if (!key.startsWith(old)) continue;
    cache.delete(key);
    cache.set(next + key.slice(old.length), features);
  }
}

function runnerFor(model: Loaded, inputSize: number): EncoderRunner {
  return { run: (input, batch) => runSession(model.session, model.manifest.input.name, input, batch, inputSize) };
}

/**
 * Features of every image, encoding only those not cached. Progress counts images ready; an
 * abort keeps the images encoded so far. Cached entries of images not in this batch are dropped
 * so memory stays bounded by the batch.
 */
export async function featuresFor(
  model: Loaded,
  geometry: EncodeGeometry,
  images: ImageRef[],
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<{ features: ImageFeatures[]; encodedNow: number }> {
  const keys = images.map((image) => cacheKey(model, geometry, image));
  const wanted = new Set(keys);
  for (const key of cache.keys()) if (!wanted.has(key)) cache.delete(key);
  const runner = runnerFor(model, geometry.inputSize);
  const options = { size: geometry.inputSize, grid: geometry.grid ?? undefined, signal };
  let done = keys.filter((k) => cache.has(k)).length;
  let encodedNow = 0;
  onProgress(done, images.length);
  // One image per encoder call: progress and cancel per image, each cached on its own. Batching
  // measured no faster on the SwiftShader WebGPU adapter.
  for (const [i, image] of images.entries()) {
    if (cache.has(keys[i])) continue;
    throwIfAborted(signal);
    const input = await encodeImages(runner, model.manifest, [await decodeRgb(image.blob, image.name)], options);
    cache.set(keys[i], { layers: input.layers, embedding: input.embeddings, embedDim: input.embedDim });
    encodedNow += 1;
    onProgress(++done, images.length);
  }
  return { features: keys.map((k) => cache.get(k) as ImageFeatures), encodedNow };
}

/** Concatenates per-image features into one batch, keeping only the chosen taps. */
export function assembleBatch(manifest: ModelManifest, features: ImageFeatures[], taps: readonly string[]): MuscInput {
  const chosen = manifest.taps.map((t, index) => ({ name: t.name, index })).filter((t) => taps.includes(t.name));
  const layers = chosen.map(({ index }) => {
    const first = features[0].layers[index];
    const perImage = first.data.length;
    const data = new Float32Array(perImage * features.length);
    features.forEach((f, n) => data.set(f.layers[index].data, n * perImage));
    return { ...first, data, images: features.length };
  });
  const embedDim = features[0].embedDim;
  const hasEmbeddings = features.every((f) => f.embedding !== null);
  const embeddings = hasEmbeddings ? new Float32Array(embedDim * features.length) : null;
  if (embeddings) features.forEach((f, n) => embeddings.set(f.embedding as Float32Array, n * embedDim));
  return { layers, embeddings, embedDim };
}
