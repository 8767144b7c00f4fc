// Compares the TypeScript resize with Pillow itself on real dataset images, when a python3 with
// PIL is on the machine (Debian: `apt-get install python3-pil`); skipped otherwise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGray, decodeRgb } from '../../platform/node/decode.ts';
import type { ResizeFilter } from './spec.ts';
import { pilResize } from './pilResize.ts';
import { preprocessMask } from './mask.ts';
import type { Raster8 } from './image.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data');
const python = ['/usr/bin/python3', 'python3'].find(
  (bin) => spawnSync(bin, ['-c', 'import PIL'], { stdio: 'ignore' }).status === 0,
);
const work = mkdtempSync(join(tmpdir(), 'pillow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Job {
  /** raw interleaved bytes of `image` at `raw`, or a file for PIL to decode itself */
  raw?: string;
  file?: string;
  mode: 'RGB' | 'L';
  width: number;
  height: number;
  outWidth: number;
  outHeight: number;
  filter: ResizeFilter;
  out: string;
}

const PY = `
import json, sys
from PIL import Image
F = {'bilinear': Image.BILINEAR, 'bicubic': Image.BICUBIC}
for job in json.load(open(sys.argv[1])):
    if 'raw' in job:
        im = Image.frombytes(job['mode'], (job['width'], job['height']), open(job['raw'], 'rb').read())
    else:
        im = Image.open(job['file']).convert(job['mode'])
    open(job['out'], 'wb').write(im.resize((job['outWidth'], job['outHeight']), F[job['filter']]).tobytes())
`;

function runPillow(jobs: Job[]): Uint8Array[] {
  const list = join(work, `jobs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(list, JSON.stringify(jobs));
  const r = spawnSync(python as string, ['-c', PY, list], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return jobs.map((j) => new Uint8Array(readFileSync(j.out)));
}

function maxAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const images = [
  'mvtec_ad/bottle/test/good/000.png',
  'mvtec_ad/bottle/test/broken_large/000.png',
  'mpdd_resplit512/metal_plate/test/good/test_00000.png',
  'mtd/magnetic_tile/test/crack/exp1_num_249594.jpg',
];
const targets: Array<[number, number, ResizeFilter]> = [
  [224, 224, 'bilinear'],
  [518, 518, 'bicubic'],
  [300, 170, 'bilinear'],
];

describe.skipIf(!python)('pilResize equals Pillow on real images', () => {
  it('matches Image.resize byte for byte on the same decoded pixels (RGB, both filters, up and down)', async () => {
    const jobs: Job[] = [];
    const ours: Raster8[] = [];
    for (const [n, rel] of images.entries()) {
      const img = await decodeRgb(join(DATA, rel));
      const raw = join(work, `img${n}.rgb`);
      writeFileSync(raw, img.data);
      for (const [w, h, filter] of targets) {
        jobs.push({
          raw,
          mode: 'RGB',
          width: img.width,
          height: img.height,
          outWidth: w,
          outHeight: h,
          filter,
          out: `${raw}.${w}x${h}.${filter}`,
        });
        ours.push(pilResize(img, w, h, filter));
      }
    }
    const pillow = runPillow(jobs);
    const diffs = pillow.map((p, i) => maxAbsDiff(ours[i].data, p));
    expect(Math.max(...diffs)).toBe(0);
  });

  it('matches PIL end to end (PIL decode + convert(RGB) + resize vs sharp decode + pilResize)', async () => {
    const jobs: Job[] = [];
    const ours: Raster8[] = [];
    for (const [n, rel] of images.entries()) {
      const img = await decodeRgb(join(DATA, rel));
      jobs.push({
        file: join(DATA, rel),
        mode: 'RGB',
        width: 0,
        height: 0,
        outWidth: 224,
        outHeight: 224,
        filter: 'bilinear',
        out: join(work, `e2e${n}`),
      });
      ours.push(pilResize(img, 224, 224, 'bilinear'));
    }
    const diffs = runPillow(jobs).map((p, i) => maxAbsDiff(ours[i].data, p));
    // PNG and baseline JPEG decode identically in libvips and PIL (both libjpeg-turbo, ISLOW).
    expect(diffs).toEqual([0, 0, 0, 0]);
  });

  it('prepares masks as the reference does (PIL bilinear to S, then int cast or > 0)', async () => {
    const masks = [
      'mvtec_ad/bottle/ground_truth/broken_large/000_mask.png',
      'mtd/magnetic_tile/ground_truth/crack/exp1_num_249594_mask.png',
    ];
    const jobs: Job[] = [];
    const decoded = [];
    for (const [n, rel] of masks.entries()) {
      decoded.push(await decodeGray(join(DATA, rel)));
      jobs.push({
        file: join(DATA, rel),
        mode: 'L',
        width: 0,
        height: 0,
        outWidth: 224,
        outHeight: 224,
        filter: 'bilinear',
        out: join(work, `mask${n}`),
      });
    }
    const pillow = runPillow(jobs);
    for (const [n, mask] of decoded.entries()) {
      const intCast = preprocessMask(mask, 224, 'int-cast');
      const gt0 = preprocessMask(mask, 224, 'gt0');
      expect(Array.from(intCast)).toEqual(Array.from(pillow[n], (v) => (v === 255 ? 1 : 0)));
      expect(Array.from(gt0)).toEqual(Array.from(pillow[n], (v) => (v > 0 ? 1 : 0)));
      expect(gt0.reduce((a, b) => a + b, 0)).toBeGreaterThan(intCast.reduce((a, b) => a + b, 0));
    }
  });
});
