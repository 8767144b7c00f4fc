// Turns raw encoder outputs into the engine's MuscInput, batch after batch, as the manifest
// describes them: token taps [B, T, D] are copied as they are (LNAMD skips CLS + registers);
// CNN taps [B, C, H, W] are resampled to one common grid (bilinear, align_corners = false) and laid
// out as patch tokens (docs/method.md §4); the RsCIN embedding is either a graph output or the
// L2-normalised global average of a tap.

import { globalAverageEmbedding } from '../engine/embedding.ts';
import { MuscError } from '../engine/errors.ts';
import type { LayerFeatures, MuscInput, NchwTensor } from '../engine/types.ts';
import { resampleNchw } from '../engine/upsample.ts';
import { l2NormalizeInto } from '../engine/vector.ts';
import { EncoderError } from './errors.ts';
import type { EmbeddingSpec, ModelManifest, TapSpec } from './manifest.ts';
import type { EncoderOutputs, TensorOutput } from './runner.ts';

function badOutput(message: string): EncoderError {
  return new EncoderError('bad-output', message);
}

export function missingOutput(name: string): EncoderError {
  return badOutput(`The encoder returned no output "${name}" although the manifest names it.`);
}

function invalidSize(message: string): MuscError {
  return new MuscError('invalid-config', message);
}

/**
 * Side of the patch grid MuSc works on at input side `size`. Token taps: the manifest grid scaled
 * with the input (the patch size is fixed), which must divide evenly. CNN taps: the manifest's
 * common grid scaled likewise (size/16 for the trunks), or `override` (e.g. 28 for the finer
 * grid of docs/method.md §16).
 */
export function featureGrid(manifest: ModelManifest, size: number, override?: number): number {
  const { taps, input } = manifest;
  const grid = taps[0].grid;
  if (taps.some((t) => t.grid !== grid))
    throw badOutput(`Model "${manifest.id}": all taps must share one grid in the manifest.`);
  const scaled = (grid * size) / input.size;
  if (taps.some((t) => t.layout === 'tokens')) {
    if (override !== undefined && override !== scaled)
      throw invalidSize(`Model "${manifest.id}" is a token model: its grid follows the input size and cannot be set.`);
    if (!Number.isInteger(scaled)) {
      const patch = input.size / grid;
      throw invalidSize(
        `Input size ${size} is not a multiple of ${manifest.id}'s patch size ${patch}; use for example ${Math.max(1, Math.round(size / patch)) * patch}.`,
      );
    }
    return scaled;
  }
  const chosen = override ?? Math.max(1, Math.round(scaled));
  if (!Number.isInteger(chosen) || chosen < 1)
    throw invalidSize(`The feature grid must be a whole number ≥ 1; got ${chosen}.`);
  return chosen;
}

function output(outputs: EncoderOutputs, name: string): TensorOutput {
  const out = outputs[name];
  if (!out) throw missingOutput(name);
  if (!out.data.every(Number.isFinite))
    throw badOutput(`Encoder output "${name}" contains NaN or infinity. Try the fp32 variant or another backend.`);
  return out;
}

/** [height, width] of a CNN output of `batch` images and `channels` channels, or a bad-output error. */
export function nchwSize(dims: readonly number[], name: string, batch: number, channels: number): [number, number] {
  const [b, c, height, width] = dims;
  if (dims.length !== 4 || b !== batch || c !== channels) {
    throw badOutput(`Encoder output "${name}" has shape [${dims.join(', ')}], expected [${batch}, ${channels}, H, W].`);
  }
  return [height, width];
}

function asNchw(out: TensorOutput, name: string, batch: number, channels: number): NchwTensor {
  const [height, width] = nchwSize(out.dims, name, batch, channels);
  return { data: out.data, images: batch, channels, height, width };
}

/** Tokens before the patches: CLS and registers for token taps, none for CNN maps. */
export function leadingTokens(tap: TapSpec): number {
  return tap.layout === 'tokens' ? (tap.hasCls ? 1 : 0) + tap.registers : 0;
}

/** Checks a token tap's output shape [batch, skip + grid², dim]; returns its tokens per image. */
export function tokenCount(tap: TapSpec, dims: readonly number[], batch: number, grid: number): number {
  const expected = [batch, leadingTokens(tap) + grid * grid, tap.dim];
  if (dims.join() !== expected.join()) {
    throw badOutput(`Encoder output "${tap.name}" has shape [${dims.join(', ')}], expected [${expected.join(', ')}].`);
  }
  return expected[1];
}

/** One batch of one tap as patch tokens [batch, skip + grid², dim]. */
function tapTokens(tap: TapSpec, out: TensorOutput, batch: number, grid: number): Float32Array {
  if (tap.layout === 'nchw') return resampleNchw(asNchw(out, tap.name, batch, tap.dim), grid).data;
  tokenCount(tap, out.dims, batch, grid);
  return out.data;
}

/** The manifest's global-average embedding spec, refused unless L2-normalised. */
export function globalAverageSpec(manifest: ModelManifest): EmbeddingSpec {
  const spec = manifest.embedding;
  if (!spec || spec.source !== 'global-average-of-tap')
    throw badOutput(`Model "${manifest.id}" has no global-average embedding.`);
  // docs/method.md §4 defines the CNN embedding as the L2-normalised average; nothing else is offered.
  if (!spec.l2Normalize)
    throw badOutput(
      `Model "${manifest.id}": a global-average embedding is always L2-normalised; set l2Normalize: true.`,
    );
  return spec;
}

/** The RsCIN embeddings [batch, E] of a batch from its CPU outputs, or null when the model has none. */
export function batchEmbeddings(manifest: ModelManifest, outputs: EncoderOutputs, batch: number): Float32Array | null {
  const spec = manifest.embedding;
  if (!spec) return null;
  const out = output(outputs, spec.name);
  if (spec.source === 'global-average-of-tap')
    return globalAverageEmbedding(asNchw(out, spec.name, batch, globalAverageSpec(manifest).dim));
  if (out.data.length !== batch * spec.dim) {
    throw badOutput(
      `Encoder output "${spec.name}" has shape [${out.dims.join(', ')}], expected [${batch}, ${spec.dim}].`,
    );
  }
  // CLIP's is normalised in the graph; DINO's final-LN CLS is used raw, as the reference does.
  if (!spec.l2Normalize || spec.normalized) return out.data;
  const normalized = new Float32Array(out.data.length);
  for (let n = 0; n < batch; n++) l2NormalizeInto(out.data, n * spec.dim, normalized, n * spec.dim, spec.dim);
  return normalized;
}

/** Collects the taps of N images, fed in batches, into one MuscInput. */
export class MuscInputBuilder {
  private readonly layers: LayerFeatures[];
  private readonly embeddings: Float32Array | null;
  private count = 0;

  constructor(
    private readonly manifest: ModelManifest,
    readonly images: number,
    readonly grid: number,
  ) {
    if (!Number.isInteger(images) || images < 1) throw new RangeError(`Cannot collect features of ${images} images`);
    this.layers = manifest.taps.map((tap) => {
      const skip = leadingTokens(tap);
      return { data: new Float32Array(images * (skip + grid * grid) * tap.dim), images, grid, dim: tap.dim, skip };
    });
    this.embeddings = manifest.embedding ? new Float32Array(images * manifest.embedding.dim) : null;
  }

  get filled(): number {
    return this.count;
  }

  /** Appends the outputs of the next `batch` images. */
  add(outputs: EncoderOutputs, batch: number): void {
    if (this.count + batch > this.images)
      throw new RangeError(`Batch of ${batch} overflows the ${this.images} images expected`);
    this.manifest.taps.forEach((tap, l) => {
      const layer = this.layers[l];
      const tokens = tapTokens(tap, output(outputs, tap.name), batch, this.grid);
      layer.data.set(tokens, this.count * (layer.skip + this.grid * this.grid) * tap.dim);
    });
    const embeddings = batchEmbeddings(this.manifest, outputs, batch);
    if (embeddings && this.embeddings && this.manifest.embedding)
      this.embeddings.set(embeddings, this.count * this.manifest.embedding.dim);
    this.count += batch;
  }

  build(): MuscInput {
    if (this.count !== this.images) throw new RangeError(`Only ${this.count} of ${this.images} images were encoded`);
    return { layers: this.layers, embeddings: this.embeddings, embedDim: this.manifest.embedding?.dim ?? 0 };
  }
}
