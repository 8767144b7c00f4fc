// Decodes every input file once and keeps it squash-resized to the encoder's S×S (8-bit, so 1000
// images at 224 take 150 MB). Files that cannot be used are collected, not fatal.

import type { ResizeFilter } from '../encoders/manifest.ts';
import { squashResize, type RgbImage } from '../engine/preprocess/index.ts';
import { decodeRgb } from '../platform/node/decode.ts';
import { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import type { ProgressReporter } from './progress.ts';

export interface LoadedImages {
  /** paths that decoded, in input order */
  paths: string[];
  images: RgbImage[];
  /** each image's own size (after EXIF orientation), in the order of `paths` */
  sizes: { width: number; height: number }[];
  problems: ImageFileError[];
}

export async function loadSquashed(
  paths: readonly string[],
  size: number,
  filter: ResizeFilter,
  progress: ProgressReporter,
): Promise<LoadedImages> {
  const out: LoadedImages = { paths: [], images: [], sizes: [], problems: [] };
  for (const [i, path] of paths.entries()) {
    progress.update('decode', i, paths.length);
    try {
      const decoded = await decodeRgb(path);
      out.images.push(squashResize(decoded, size, filter));
      out.sizes.push({ width: decoded.originalWidth, height: decoded.originalHeight });
      out.paths.push(path);
    } catch (err) {
      if (!(err instanceof ImageFileError)) throw err;
      out.problems.push(err);
    }
  }
  progress.update('decode', paths.length, paths.length);
  return out;
}
