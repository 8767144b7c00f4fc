import { describe, expect, it } from 'vitest';
import { imageFormatOf, undecodable } from './imageFiles.ts';

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
