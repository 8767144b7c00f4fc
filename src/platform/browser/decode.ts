// Browser image decoding for the worker: createImageBitmap (EXIF orientation applied, no colour
// management and no alpha premultiplication, like Pillow's open + convert) and an OffscreenCanvas
// readback into the 8-bit rasters the preprocessing expects. Every failure names the file.
import type { GrayImage, RgbImage } from '../../engine/preprocess/index.ts';
import {
  cutShort,
  ImageFileError,
  imageFormatOf,
  jpegCutShort,
  MAX_DECODED_SIDE,
  requireMinimumSize,
  SNIFF_BYTES,
  TAIL_BYTES,
  undecodable,
} from '../../engine/preprocess/imageFiles.ts';

export interface ImageSize {
  width: number;
  height: number;
}

const BITMAP_OPTIONS: ImageBitmapOptions = {
  imageOrientation: 'from-image',
  premultiplyAlpha: 'none',
  colorSpaceConversion: 'none',
};

/** The first bytes of a file, to tell what it is (imageFiles.ts). */
export async function headOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
}

/** Refuses a file cut short before a lenient decoder draws part of it (imageFiles.ts cutShort). */
async function requireWhole(blob: Blob, fileName: string): Promise<void> {
  const head = await headOf(blob);
  // A JPEG's end-of-image marker may lie anywhere after its first scan: the whole file is read.
  const missing =
    imageFormatOf(head) === 'jpeg'
      ? jpegCutShort(new Uint8Array(await blob.arrayBuffer()))
      : cutShort(blob.size, head, new Uint8Array(await blob.slice(Math.max(0, blob.size - TAIL_BYTES)).arrayBuffer()));
  if (missing) throw undecodable(fileName, blob.size, head, missing);
}

async function openBitmap(blob: Blob, fileName: string, resizeTo?: ImageSize): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(
      blob,
      resizeTo
        ? { ...BITMAP_OPTIONS, resizeWidth: resizeTo.width, resizeHeight: resizeTo.height, resizeQuality: 'high' }
        : BITMAP_OPTIONS,
    );
  } catch {
    // Browsers report unknown formats and truncated data with the same error: the bytes tell which.
    throw undecodable(fileName, blob.size, await headOf(blob));
  }
}

/** Checks that the file decodes and is large enough; returns its size after EXIF orientation. */
export async function probeImage(blob: Blob, fileName: string): Promise<ImageSize> {
  await requireWhole(blob, fileName);
  const bitmap = await openBitmap(blob, fileName);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  requireMinimumSize(fileName, size.width, size.height);
  return size;
}

function fitInside(size: ImageSize, maxSide: number): ImageSize | undefined {
  const longer = Math.max(size.width, size.height);
  if (longer <= maxSide) return undefined;
  const scale = maxSide / longer;
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

async function readRgba(blob: Blob, fileName: string, maxSide: number): Promise<ImageData> {
  await requireWhole(blob, fileName);
  let bitmap = await openBitmap(blob, fileName);
  try {
    requireMinimumSize(fileName, bitmap.width, bitmap.height);
    // Decoded once when it fits; a larger image is decoded again, shrunk by the browser.
    const shrunk = fitInside({ width: bitmap.width, height: bitmap.height }, maxSide);
    if (shrunk) {
      bitmap.close();
      bitmap = await openBitmap(blob, fileName, shrunk);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
    if (!context)
      throw new ImageFileError(fileName, 'corrupt', 'the browser could not create a canvas to read the pixels');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** 8-bit RGB, alpha dropped as Pillow's convert('RGB') does (no compositing). */
export async function decodeRgb(blob: Blob, fileName: string, maxSide = MAX_DECODED_SIDE): Promise<RgbImage> {
  const rgba = await readRgba(blob, fileName, maxSide);
  const pixels = rgba.width * rgba.height;
  const data = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    data[p * 3] = rgba.data[p * 4];
    data[p * 3 + 1] = rgba.data[p * 4 + 1];
    data[p * 3 + 2] = rgba.data[p * 4 + 2];
  }
  return { data, width: rgba.width, height: rgba.height, channels: 3 };
}

/** One 8-bit channel with Pillow's convert('L') weights (ITU-R 601-2 luma), for masks. */
export async function decodeGray(blob: Blob, fileName: string): Promise<GrayImage> {
  const rgba = await readRgba(blob, fileName, Number.MAX_SAFE_INTEGER);
  const pixels = rgba.width * rgba.height;
  const data = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = [rgba.data[p * 4], rgba.data[p * 4 + 1], rgba.data[p * 4 + 2]];
    data[p] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }
  return { data, width: rgba.width, height: rgba.height, channels: 1 };
}
