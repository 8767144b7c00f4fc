import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cutShort, imageFormatOf, jpegCutShort, SNIFF_BYTES, TAIL_BYTES, undecodable } from './imageFiles.ts';

const BOTTLE = join(import.meta.dirname, '../../../../shared/data/mvtec_ad/bottle/test/good/000.png');

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('what a file is, by its first bytes', () => {
  it.each([
    ['png', bytes([0x89], 'PNG', [13, 10, 26, 10])],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['gif', bytes('GIF89a')],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['bmp', bytes('BM', [0, 0, 0, 0])],
    ['tiff', bytes('II*', [0])],
    ['tiff', bytes('MM', [0], '*')],
    ['avif', bytes([0, 0, 0, 32], 'ftypavif')],
  ])('recognises %s', (format, head) => {
    expect(imageFormatOf(head)).toBe(format);
  });

  it('recognises no image in text, in a PNG signature mangled by a text encoding, or in nothing', () => {
    expect(imageFormatOf(bytes('not an image\n'))).toBeNull();
    expect(imageFormatOf(bytes([0xc2, 0x89], 'PNG'))).toBeNull();
    expect(imageFormatOf(new Uint8Array(0))).toBeNull();
  });

  it('says in one wording why a file did not decode: empty, not an image, or truncated or corrupt', () => {
    expect(undecodable('a.png', 0, new Uint8Array(0)).message).toBe('a.png: the file is empty (0 bytes)');
    expect(undecodable('notes.png', 13, bytes('not an image\n')).message).toBe(
      'notes.png: not an image file (unknown format)',
    );
    const cut = undecodable('cut.jpg', 900, bytes([0xff, 0xd8, 0xff, 0xe0]), 'premature end');
    expect([cut.problem, cut.message]).toEqual([
      'corrupt',
      'cut.jpg: image data is truncated or corrupt (premature end)',
    ]);
  });
});

describe('a file cut short, told by its ends', () => {
  const ends = (file: Uint8Array) =>
    cutShort(file.length, file.subarray(0, SNIFF_BYTES), file.subarray(Math.max(0, file.length - TAIL_BYTES)));

  it('passes a whole PNG and WebP of a real bottle and names what is missing when either is cut', async () => {
    const png = new Uint8Array(readFileSync(BOTTLE));
    const webp = new Uint8Array(await sharp(png).webp().toBuffer());
    expect(ends(png)).toBeNull();
    expect(ends(webp)).toBeNull();
    expect(ends(png.subarray(0, 300))).toBe('the PNG ends before its IEND chunk');
    expect(ends(png.subarray(0, png.length - 20))).toBe('the PNG ends before its IEND chunk');
    expect(ends(webp.subarray(0, 1000))).toBe(`the WebP is 1000 bytes, its header says ${webp.length}`);
  });

  it('leaves JPEG and unknown formats to the decoder', () => {
    expect(ends(bytes([0xff, 0xd8, 0xff, 0xe0], [1, 2, 3]))).toBeNull();
    expect(ends(bytes('not an image'))).toBeNull();
  });
});

describe('a JPEG cut short, told by its end-of-image marker after the first scan', () => {
  const CUT = 'the JPEG ends before its end-of-image marker';

  it('passes whole baseline, progressive and EXIF-carrying JPEGs of a real bottle, and one with a trailer after its end', async () => {
    const png = readFileSync(BOTTLE);
    for (const jpeg of [
      await sharp(png).jpeg().toBuffer(),
      await sharp(png).jpeg({ progressive: true }).toBuffer(),
      await sharp(png)
        .withExif({ IFD0: { Make: 'MuScope' } })
        .jpeg({ quality: 60 })
        .toBuffer(),
    ]) {
      const whole = new Uint8Array(jpeg);
      expect(jpegCutShort(whole)).toBeNull();
      // a motion photo: a video appended after the end-of-image marker
      const trailer = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131) & 0xff);
      expect(jpegCutShort(new Uint8Array([...whole, ...trailer]))).toBeNull();
      for (const share of [0.1, 0.5, 0.99])
        expect(jpegCutShort(whole.subarray(0, Math.round(whole.length * share)))).toBe(CUT);
      expect(jpegCutShort(whole.subarray(0, whole.length - 1))).toBe(CUT);
    }
  });

  it('refuses a JPEG that ends inside its headers', () => {
    expect(jpegCutShort(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toBe(CUT);
  });
});
