// Encodes N images into one MuscInput: squash-resize (PIL-exact) → CHW float → encoder batch →
// taps. Shared by the browser worker and the Node CLI; only the EncoderRunner differs.

import { throwIfAborted } from '../engine/errors.ts';
import { squashResize, writeChw } from '../engine/preprocess/index.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';
import type { MuscInput } from '../engine/types.ts';
import type { ModelManifest } from './manifest.ts';
import type { EncoderRunner } from './runner.ts';
import { featureGrid, MuscInputBuilder } from './taps.ts';

export interface EncodeProgress {
  stage: 'encode';
  done: number;
  total: number;
}

export interface EncodeOptions {
  /** square input side; default the manifest's */
  size?: number;
  /** CNN models only: common feature grid; default size/16 for the trunks (featureGrid) */
  grid?: number;
  /** images per encoder call */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: EncodeProgress) => void;
}

export const DEFAULT_ENCODER_BATCH = 8;

/** The encoder's input [images, 3, size, size]: squash-resized (PIL-exact) and normalised as the manifest says. */
export function encoderInput(manifest: ModelManifest, images: readonly RgbImage[], size: number): Float32Array {
  const plane = 3 * size * size;
  const input = new Float32Array(images.length * plane);
  images.forEach((image, b) =>
    writeChw(squashResize(image, size, manifest.input.resize), manifest.input, input, b * plane),
  );
  return input;
}

export async function encodeImages(
  runner: EncoderRunner,
  manifest: ModelManifest,
  images: readonly RgbImage[],
  opts: EncodeOptions = {},
): Promise<MuscInput> {
  const size = opts.size ?? manifest.input.size;
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_ENCODER_BATCH));
  const builder = new MuscInputBuilder(manifest, images.length, featureGrid(manifest, size, opts.grid));
  for (let start = 0; start < images.length; start += batchSize) {
    throwIfAborted(opts.signal);
    opts.onProgress?.({ stage: 'encode', done: start, total: images.length });
    const batch = Math.min(batchSize, images.length - start);
    builder.add(await runner.run(encoderInput(manifest, images.slice(start, start + batch), size), batch), batch);
  }
  opts.onProgress?.({ stage: 'encode', done: images.length, total: images.length });
  return builder.build();
}
