// What makes an image file unusable, the same in the app (src/platform/browser/decode.ts) and the CLI
// (src/platform/node/decode.ts): the size limits, the kinds of problem, and the error that names the file.

/** Smaller images carry too few pixels for any patch grid to mean something. */
export const MIN_IMAGE_SIDE = 8;
/**
 * Larger images are shrunk on decode (aspect kept) so memory stays bounded: a 4096-px side is
 * already ≥ 8× any encoder input, so the later squash-resize sees practically the same pixels.
 */
export const MAX_DECODED_SIDE = 4096;

export type ImageProblem = 'not-an-image' | 'corrupt' | 'too-small' | 'too-large' | 'unreadable';

export class ImageFileError extends Error {
  override readonly name = 'ImageFileError';
  constructor(
    /** the path (CLI) or file name (app) the user knows the file by */
    readonly file: string,
    readonly problem: ImageProblem,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Refuses an image smaller than MIN_IMAGE_SIDE on either side (size after EXIF orientation). */
export function requireMinimumSize(file: string, width: number, height: number): void {
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    throw new ImageFileError(
      file,
      'too-small',
      `image is ${width}×${height} px; images must be at least ${MIN_IMAGE_SIDE}×${MIN_IMAGE_SIDE} px`,
    );
  }
}
