import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHeatmapOverlay } from './heatmap.ts';
import { InputPathError, listImages } from './listImages.ts';
import { readMvtecCategory } from './mvtec.ts';
import { encodeNpyFloat32 } from './npy.ts';

const root = mkdtempSync(join(tmpdir(), 'files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function touch(...parts: string[]): string {
  const path = join(root, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  return path;
}

describe('listImages', () => {
  it('walks folders recursively, keeps image extensions, sorts by code point and keeps named files', async () => {
    const b = touch('set', 'b.PNG');
    const a = touch('set', 'sub', 'a.jpg');
    const upper = touch('set', 'Z.jpeg');
    touch('set', 'readme.txt');
    touch('set', '.hidden.png');
    const named = touch('other', 'named.txt');
    expect(await listImages([join(root, 'set'), named])).toEqual([named, upper, b, a].sort((x, y) => (x < y ? -1 : 1)));
    expect(await listImages([join(root, 'set')])).toEqual([upper, b, a]);
  });

  it('keeps a file without an extension when its bytes are an image, and ignores other such files', async () => {
    const dir = join(root, 'sniffed');
    mkdirSync(dir);
    const png = join(dir, 'camera-dump');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: 'red' } })
      .png()
      .toFile(png);
    writeFileSync(join(dir, 'LICENSE'), 'text, no image\n');
    expect(await listImages([dir])).toEqual([png]);
  });

  it('reports a missing path', async () => {
    await expect(listImages([join(root, 'nope')])).rejects.toThrow(InputPathError);
  });

  it('returns nothing for an empty folder', async () => {
    mkdirSync(join(root, 'empty'));
    expect(await listImages([join(root, 'empty')])).toEqual([]);
  });
});

describe('readMvtecCategory', () => {
  const cat = join(root, 'data', 'widget');
  const good = [touch('data', 'widget', 'test', 'good', '001.png'), touch('data', 'widget', 'test', 'good', '000.png')];
  const scratch = [
    touch('data', 'widget', 'test', 'scratch', '10.png'),
    touch('data', 'widget', 'test', 'scratch', '9.png'),
  ];
  // masks are paired by sorted position, not by name: '10.png' ↔ 'x_mask.png', '9.png' ↔ 'y_mask.png'
  const masks = [
    touch('data', 'widget', 'ground_truth', 'scratch', 'x_mask.png'),
    touch('data', 'widget', 'ground_truth', 'scratch', 'y_mask.png'),
  ];
  touch('data', 'widget', 'train', 'good', '000.png');

  it('reads defect folders and files in sorted order, labels by folder and pairs masks by position', () => {
    const expected = [
      { path: good[1], defect: 'good', anomalous: false, maskPath: null },
      { path: good[0], defect: 'good', anomalous: false, maskPath: null },
      { path: scratch[0], defect: 'scratch', anomalous: true, maskPath: masks[0] },
      { path: scratch[1], defect: 'scratch', anomalous: true, maskPath: masks[1] },
    ];
    expect(readMvtecCategory(cat)).toEqual({ dir: cat, name: 'widget', images: expected });
    expect(readMvtecCategory(join(root, 'data'), 'widget').images).toEqual(expected);
    expect(readMvtecCategory(cat, 'widget').images).toEqual(expected);
  });

  it('pairs `<stem>_mask` names by name where sorted order would mix them up', () => {
    // sorted images: x_1.jpg, x_10.jpg, x_9.jpg; sorted masks: x_10_mask, x_1_mask, x_9_mask
    const images = ['x_1.jpg', 'x_10.jpg', 'x_9.jpg'].map((f) => touch('tile', 'test', 'crack', f));
    const masks = ['x_1_mask.png', 'x_10_mask.png', 'x_9_mask.png'].map((f) =>
      touch('tile', 'ground_truth', 'crack', f),
    );
    const pairs = readMvtecCategory(join(root, 'tile')).images.map((i) => [i.path, i.maskPath]);
    expect(pairs).toEqual(images.map((path, i) => [path, masks[i]]));
  });

  it('refuses a layout it cannot pair', () => {
    expect(() => readMvtecCategory(join(root, 'data'))).toThrow(/--category/);
    touch('data', 'widget', 'test', 'dent', '0.png');
    expect(() => readMvtecCategory(cat)).toThrow(/ground_truth\/dent: missing/);
    touch('data', 'widget', 'ground_truth', 'dent', 'a_mask.png');
    touch('data', 'widget', 'ground_truth', 'dent', 'b_mask.png');
    expect(() => readMvtecCategory(cat)).toThrow(/2 masks for 1 images/);
  });
});

describe('encodeNpyFloat32', () => {
  it('writes a .npy v1.0 header padded to 64 bytes and little-endian float32 data', () => {
    const bytes = encodeNpyFloat32(Float32Array.from([1.5, -2, 0.25, 3, 4, 5]), [2, 3]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect((10 + headerLength) % 64).toBe(0);
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    const values = new DataView(bytes.buffer, 10 + headerLength);
    expect([0, 1, 2].map((i) => values.getFloat32(i * 4, true))).toEqual([1.5, -2, 0.25]);
    expect(() => encodeNpyFloat32(new Float32Array(5), [2, 3])).toThrow(RangeError);
  });
});

describe('writeHeatmapOverlay', () => {
  it('blends a JET-coloured map, stretched to the image, over the image', async () => {
    const image = { data: new Uint8Array(6 * 4 * 3).fill(100), width: 6, height: 4, channels: 3 as const };
    // 2×2 map: cold left column, hot right column
    const path = join(root, 'overlay.png');
    await writeHeatmapOverlay(path, image, Float32Array.from([0, 1, 0, 1]), 2, { min: 0, max: 1 }, 0.5);
    const { data, info } = await sharp(readFileSync(path)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([6, 4, 3]);
    const left = Array.from(data.subarray(0, 3));
    const right = Array.from(data.subarray(5 * 3, 6 * 3));
    expect(left[2]).toBeGreaterThan(left[0]); // blue-ish where the map is low
    expect(right[0]).toBeGreaterThan(right[2]); // red-ish where it is high
  });
});
