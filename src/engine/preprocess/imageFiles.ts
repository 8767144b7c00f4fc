// What makes an image file unusable, the same in the app (src/platform/browser/decode.ts) and the CLI
// (src/platform/node/decode.ts): the size limits, the kinds of problem, what a file's first bytes
// say it is, and the error that names the file.

/** Smaller images carry too few pixels for any patch grid to mean something. */
export const MIN_IMAGE_SIDE = 8;

/** A folder with nothing to score, in the page's and the CLI's words. */
export const NO_IMAGE_FILES = 'no image files found';
/**
 * Larger images are shrunk on decode (aspect kept) so memory stays bounded: a 4096-px side is
 * already ≥ 8× any encoder input, so the later squash-resize sees practically the same pixels.
 */
export const MAX_DECODED_SIDE = 4096;

export type ImageProblem = 'empty' | 'not-an-image' | 'corrupt' | 'too-small' | 'too-large' | 'unreadable';

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

/** Bytes enough to recognise every format below. */
export const SNIFF_BYTES = 16;

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'avif';

const ascii = (head: Uint8Array, at: number, text: string): boolean =>
  [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/**
 * The image format a file's first bytes announce, or null: the content decides, never the name
 * or the type the system guessed from it (a PNG without an extension is still a PNG, a text file
 * named .png is not one).
 */
export function imageFormatOf(head: Uint8Array): ImageFormat | null {
  if (head[0] === 0x89 && ascii(head, 1, 'PNG')) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(head, 0, 'GIF8')) return 'gif';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (ascii(head, 0, 'BM')) return 'bmp';
  if (ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*')) return 'tiff';
  if (ascii(head, 4, 'ftypavi')) return 'avif';
  return null;
}

/**
 * Why a file that did not decode cannot be used, in the one wording the page and the CLI share:
 * empty, not an image (its bytes announce no image format), or an image whose data is truncated
 * or corrupt. `size` is the file's length, `head` its first SNIFF_BYTES bytes.
 */
export function undecodable(file: string, size: number, head: Uint8Array, detail?: string): ImageFileError {
  if (size === 0) return new ImageFileError(file, 'empty', 'the file is empty (0 bytes)');
  if (imageFormatOf(head) === null)
    return new ImageFileError(file, 'not-an-image', 'not an image file (unknown format)');
  return new ImageFileError(file, 'corrupt', `image data is truncated or corrupt${detail ? ` (${detail})` : ''}`);
}

/** Bytes from a file's end enough for cutShort: a PNG's closing IEND chunk with some slack. */
export const TAIL_BYTES = 64;

/**
 * Why a file whose format is known ends too early, or null: a PNG without its closing IEND
 * chunk, a WebP shorter than its RIFF header says. Some decoders (Firefox's) draw such a file
 * partly instead of failing, so the page checks before decoding. A JPEG's end cannot be told
 * from its last bytes (motion photos append a video after it): see jpegCutShort.
 */
export function cutShort(size: number, head: Uint8Array, tail: Uint8Array): string | null {
  const format = imageFormatOf(head);
  if (format === 'png') {
    const text = String.fromCharCode(...tail);
    return text.includes('IEND') ? null : 'the PNG ends before its IEND chunk';
  }
  if (format === 'webp') {
    const declared = (head[4] | (head[5] << 8) | (head[6] << 16) | (head[7] << 24)) >>> 0;
    return size < declared + 8 ? `the WebP is ${size} bytes, its header says ${declared + 8}` : null;
  }
  return null;
}

/** Where a JPEG's entropy-coded data starts (after its first start-of-scan header); null when the headers end first. */
function firstScan(bytes: Uint8Array): number | null {
  let at = 2; // after the start-of-image marker
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // a fill byte before a marker
      continue;
    }
    const next = at + 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
    if (marker === 0xda) return next;
    at = next;
  }
  return null;
}

/**
 * Why a JPEG (its whole bytes) ends too early, or null: no end-of-image marker (0xFFD9) after
 * its first scan. Entropy-coded data never holds that pair (a 0xFF there is stuffed with 0x00 or
 * starts a restart marker), so a file cut anywhere before its end lacks it, while whatever
 * follows the marker (a motion photo's video) is allowed. Firefox draws a cut JPEG partly.
 */
export function jpegCutShort(bytes: Uint8Array): string | null {
  const scan = firstScan(bytes);
  if (scan !== null)
    for (let i = scan; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return null;
  return 'the JPEG ends before its end-of-image marker';
}
