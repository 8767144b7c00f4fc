import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImageFileError,
  MAX_DECODED_SIDE,
  MIN_IMAGE_SIDE,
  type ImageProblem,
} from '../../engine/preprocess/imageFiles.ts';
import { decodeGray, decodeRgb } from './decode.ts';

const dir = mkdtempSync(join(tmpdir(), 'decode-'));
const file = (name: string) => join(dir, name);
const solid = (width: number, height: number, rgb = { r: 200, g: 50, b: 25 }) =>
  sharp({ create: { width, height, channels: 3, background: rgb } });
const noise = (width: number, height: number) =>
  sharp({
    create: { width, height, channels: 3, background: 'black', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  });

beforeAll(async () => {
  writeFileSync(file('notes.png'), 'this is a text file with an image extension\n');
  writeFileSync(file('empty.png'), '');
  const jpeg = await noise(64, 48).jpeg().toBuffer();
  writeFileSync(file('truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  const png = await noise(64, 48).png().toBuffer();
  writeFileSync(file('truncated.png'), png.subarray(0, png.length >> 1));
  await solid(1, 1).png().toFile(file('tiny.png'));
  await solid(40, 30, { r: 119, g: 119, b: 119 }).grayscale().png().toFile(file('gray.png'));
  await solid(40, 30).ensureAlpha(0.5).png().toFile(file('rgba.png'));
  await solid(40, 30).toColourspace('rgb16').png().toFile(file('deep.png'));
  await solid(40, 30).toColourspace('cmyk').jpeg().toFile(file('cmyk.jpg'));
  // stored 40×30 with EXIF orientation 6 (rotate 90° clockwise to display) → shown 30×40
  await solid(40, 30).withMetadata({ orientation: 6 }).jpeg().toFile(file('rotated.jpg'));
  await solid(12000, 9000, { r: 90, g: 120, b: 150 }).png({ compressionLevel: 1 }).toFile(file('huge.png'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problemOf(path: string): Promise<{ problem: ImageProblem; message: string }> {
  const err = await decodeRgb(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageFileError);
  const { problem, message } = err as ImageFileError;
  expect(message.startsWith(path)).toBe(true);
  return { problem, message };
}

describe('decodeRgb rejects unusable files with the file name and the reason', () => {
  it('a text file named .png', async () =>
    expect(await problemOf(file('notes.png'))).toMatchObject({
      problem: 'not-an-image',
      message: expect.stringMatching(/not an image/),
    }));
  it('a truncated JPEG', async () => expect((await problemOf(file('truncated.jpg'))).problem).toBe('corrupt'));
  it('a truncated PNG', async () => expect((await problemOf(file('truncated.png'))).problem).toBe('corrupt'));
  it('a 1×1 image, stating the minimum', async () =>
    expect(await problemOf(file('tiny.png'))).toMatchObject({
      problem: 'too-small',
      message: expect.stringContaining(`at least ${MIN_IMAGE_SIDE}×${MIN_IMAGE_SIDE}`),
    }));
  it('a missing file', async () => expect((await problemOf(file('absent.png'))).problem).toBe('unreadable'));
  it('an empty file, in the wording the page uses', async () =>
    expect(await problemOf(file('empty.png'))).toEqual({
      problem: 'empty',
      message: `${file('empty.png')}: the file is empty (0 bytes)`,
    }));
});

describe('decodeRgb normalises what it can read to 8-bit sRGB RGB', () => {
  it.each([
    ['gray.png', [119, 119, 119]],
    ['rgba.png', [200, 50, 25]],
    ['deep.png', [200, 50, 25]],
  ])('%s', async (name, pixel) => {
    const img = await decodeRgb(file(name));
    expect([img.width, img.height, img.channels, img.data.length]).toEqual([40, 30, 3, 40 * 30 * 3]);
    expect(Array.from(img.data.subarray(0, 3))).toEqual(pixel);
  });

  it('converts CMYK to RGB', async () => {
    const img = await decodeRgb(file('cmyk.jpg'));
    const [r, g, b] = img.data;
    expect(img.channels).toBe(3);
    expect(r).toBeGreaterThan(150);
    expect(Math.max(g, b)).toBeLessThan(90);
  });

  it('applies the EXIF orientation', async () => {
    const img = await decodeRgb(file('rotated.jpg'));
    expect([img.width, img.height, img.originalWidth, img.originalHeight]).toEqual([30, 40, 30, 40]);
  });

  it('shrinks a 12000×9000 image on load, keeping its aspect and its colours', async () => {
    const img = await decodeRgb(file('huge.png'));
    expect([img.width, img.height, img.originalWidth, img.originalHeight]).toEqual([
      MAX_DECODED_SIDE,
      3072,
      12000,
      9000,
    ]);
    expect(Array.from(img.data.subarray(0, 3))).toEqual([90, 120, 150]);
  });
});

describe('decodeGray', () => {
  it('reads a mask as one 8-bit channel', async () => {
    const mask = await decodeGray(file('gray.png'));
    expect([mask.width, mask.height, mask.channels, mask.data[0]]).toEqual([40, 30, 1, 119]);
  });
});
