// Decodes image files with sharp into the 8-bit rasters the preprocessing expects: EXIF
// orientation applied, any colour model or bit depth (grey, alpha, 16-bit, CMYK) brought to 8-bit
// sRGB RGB, alpha dropped as PIL's convert('RGB') does. Every failure becomes an ImageFileError
// naming the file.

import sharp, { type Metadata, type Sharp } from 'sharp';
import type { GrayImage, RgbImage } from '../../engine/preprocess/index.ts';
import { open } from 'node:fs/promises';
import {
  ImageFileError,
  MAX_DECODED_SIDE,
  requireMinimumSize,
  SNIFF_BYTES,
  undecodable,
} from '../../engine/preprocess/imageFiles.ts';

export interface DecodedImage extends RgbImage {
  /** size stored in the file, after EXIF orientation */
  originalWidth: number;
  originalHeight: number;
}

interface Probe {
  width: number;
  height: number;
}

async function probe(path: string): Promise<Probe> {
  let meta: Metadata;
  try {
    meta = await sharp(path).metadata();
  } catch (err) {
    throw await classify(path, err);
  }
  const { width, height } = meta.autoOrient ?? meta;
  if (!width || !height) throw new ImageFileError(path, 'corrupt', 'the file has no readable image size');
  requireMinimumSize(path, width, height);
  return { width, height };
}

/** The first bytes of a file and its length, to tell what it is (imageFiles.ts). */
async function headOf(path: string): Promise<{ size: number; head: Uint8Array }> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await file.read(head, 0, SNIFF_BYTES, 0);
    return { size: (await file.stat()).size, head: head.subarray(0, bytesRead) };
  } finally {
    await file.close();
  }
}

async function classify(path: string, err: unknown): Promise<ImageFileError> {
  const message = err instanceof Error ? err.message : String(err);
  if (/no such file|input file is missing|ENOENT|EACCES|permission denied|EISDIR/i.test(message)) {
    return new ImageFileError(path, 'unreadable', `cannot read the file (${message.split('\n')[0]})`);
  }
  if (/pixel limit/i.test(message)) {
    return new ImageFileError(
      path,
      'too-large',
      'image has more pixels than can be decoded safely (limit 268 megapixels)',
    );
  }
  const { size, head } = await headOf(path).catch(() => ({ size: -1, head: new Uint8Array(0) }));
  return undecodable(path, size, head, message.split('\n')[0]);
}

function pipeline(path: string, size: Probe, maxSide: number): Sharp {
  let image = sharp(path, { failOn: 'error', autoOrient: true });
  if (Math.max(size.width, size.height) > maxSide) {
    image = image.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  }
  return image;
}

/** Decodes to 8-bit sRGB RGB, shrinking images whose longer side exceeds `maxSide`. */
export async function decodeRgb(path: string, maxSide = MAX_DECODED_SIDE): Promise<DecodedImage> {
  const size = await probe(path);
  try {
    const { data, info } = await pipeline(path, size, maxSide)
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder returned ${info.channels} channels`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
      originalWidth: size.width,
      originalHeight: size.height,
    };
  } catch (err) {
    throw err instanceof ImageFileError ? err : await classify(path, err);
  }
}

/** Decodes a ground-truth mask to one 8-bit channel at its stored size. */
export async function decodeGray(path: string): Promise<GrayImage> {
  const size = await probe(path);
  try {
    const { data, info } = await sharp(path, { failOn: 'error', autoOrient: true })
      .toColourspace('b-w')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`decoder returned ${info.channels} channels`);
    if (info.width !== size.width || info.height !== size.height)
      throw new Error('decoded size differs from the header');
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 1,
    };
  } catch (err) {
    throw err instanceof ImageFileError ? err : await classify(path, err);
  }
}
