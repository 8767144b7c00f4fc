// `muscope score --regions` as a user runs it: the files it writes, and how well its regions
// match the ground truth on real data (docs/method.md §18). The measurement prints its figures
// (README, "Findings"); MPDD metal_plate (about 2 minutes here) runs only with
// MUSCOPE_FINDINGS_MPDD=1.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CocoInstances } from '../engine/findings/coco.ts';
import { rasterise } from '../engine/findings/rasterise.testing.ts';
import { PixelMetricsAccumulator } from '../engine/metrics/pixelMetrics.ts';
import { preprocessMask } from '../engine/preprocess/mask.ts';
import { decodeGray } from '../platform/node/decode.ts';
import { readMvtecCategory } from '../platform/node/mvtec.ts';
import { BOTTLE, readNpyFloat32, ready, REPO, runMuscope } from './cliRun.testing.ts';
import type { RegionsFile } from '../engine/findings/files.ts';
import type { ScoreRow } from './score.ts';

const work = mkdtempSync(join(tmpdir(), 'findings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function scoreWithRegions(out: string, ...args: string[]) {
  const r = runMuscope(work, 'score', ...args, '--regions', '--no-overlays', '--out', out);
  expect(r.code, r.stderr).toBe(0);
  const read = <T>(file: string) => JSON.parse(readFileSync(join(work, out, file), 'utf8')) as T;
  return {
    rows: read<ScoreRow[]>('scores.json'),
    regions: read<RegionsFile>('regions.json'),
    coco: read<CocoInstances>('annotations.coco.json'),
  };
}

describe.skipIf(!ready)('muscope score --regions', () => {
  it('writes regions.json and annotations.coco.json: paths as given, boxes and polygons in original pixels', () => {
    const dir = join(work, 'set');
    mkdirSync(dir);
    const given = ['good/000', 'good/001', 'good/002', 'good/003', 'broken_large/000', 'contamination/001'].map(
      (name) => {
        const target = join(dir, `${name.replace('/', '_')}.png`);
        copyFileSync(join(BOTTLE, 'test', `${name}.png`), target);
        return target;
      },
    );
    const { rows, regions, coco } = scoreWithRegions('small', dir, '--size', '64');
    expect(regions.images.map((i) => i.path).sort()).toEqual(given.sort());
    expect(coco.images.map((i) => i.file_name)).toEqual(regions.images.map((i) => i.path));
    expect(regions.pixelThreshold.rule).toMatch(/^normal level = median \+ 3 robust SD/);
    expect(coco.categories).toEqual([{ id: 1, name: 'anomaly', supercategory: 'defect' }]);
    expect(coco.annotations).toHaveLength(regions.images.reduce((n, i) => n + i.regions.length, 0));
    expect(coco.annotations.length).toBeGreaterThan(0);
    regions.images.forEach((image, n) => {
      expect(image).toMatchObject({ width: 900, height: 900 });
      expect(image.sentence).toMatch(/^(No region|One region|Two regions|Three regions|\d+ regions)\b/);
      expect(image.threshold).toBeGreaterThanOrEqual(regions.pixelThreshold.value);
      const annotations = coco.annotations.filter((a) => a.image_id === n + 1);
      image.regions.forEach((region, k) => {
        const [x, y, w, h] = region.bbox;
        expect(x >= 0 && y >= 0 && x + w <= 900 && y + h <= 900).toBe(true);
        expect(region.peak).toBeGreaterThan(image.threshold);
        expect(region.peak).toBeLessThanOrEqual(rows[n].rawScore + 1e-6);
        expect(region.mean).toBeLessThanOrEqual(region.peak);
        expect(annotations[k]).toMatchObject({ bbox: region.bbox, area: region.area, category_id: 1, iscrowd: 0 });
        // The polygon fills back its box exactly and holds at least the region's pixels.
        const filled = rasterise(annotations[k].segmentation[0], 900, 900);
        let inside = 0;
        let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
        filled.forEach((v, p) => {
          if (!v) return;
          inside++;
          [x0, y0, x1, y1] = [
            Math.min(x0, p % 900),
            Math.min(y0, Math.floor(p / 900)),
            Math.max(x1, p % 900),
            Math.max(y1, Math.floor(p / 900)),
          ];
        });
        expect([x0, y0, x1 - x0 + 1, y1 - y0 + 1]).toEqual(region.bbox);
        expect(inside).toBeGreaterThanOrEqual(region.area);
      });
    });
  });
});

interface Measured {
  images: number;
  defective: number;
  iouRate: number;
  labelFreeF1: number;
  oracleF1Max: number;
}

/** Scores a whole MVTec-layout category with --regions and measures its regions against the masks. */
async function measure(categoryDir: string, out: string): Promise<Measured> {
  const category = readMvtecCategory(categoryDir);
  const { rows, regions, coco } = scoreWithRegions(out, join(categoryDir, 'test'));
  const maskOf = new Map(category.images.map((i) => [i.path, i.maskPath]));
  const size = Math.sqrt(readNpyFloat32(join(work, rows[0].map)).length);
  const oracle = new PixelMetricsAccumulator(size, size, rows.length);
  const counts = { tp: 0, fp: 0, fn: 0 };
  let defective = 0;
  let overlapping = 0;
  for (const [n, row] of rows.entries()) {
    const maskPath = maskOf.get(row.path);
    const gray = maskPath ? await decodeGray(maskPath) : null;
    // Pixel F1 at S×S against the masks as `eval` prepares them (docs/method.md §9).
    const mask = gray ? preprocessMask(gray, size, 'int-cast') : new Uint8Array(size * size);
    const map = readNpyFloat32(join(work, row.map));
    oracle.add(map, mask);
    const { threshold } = regions.images[n];
    map.forEach((v, p) => {
      if (v > threshold) counts[mask[p] ? 'tp' : 'fp']++;
      else if (mask[p]) counts.fn++;
    });
    if (!gray) continue;
    // The largest region's IoU with the ground truth, at the image's own size.
    defective++;
    const [largest] = coco.annotations.filter((a) => a.image_id === n + 1).sort((a, b) => b.area - a.area);
    if (!largest) continue;
    const filled = rasterise(largest.segmentation[0], gray.width, gray.height);
    let inter = 0;
    let union = 0;
    filled.forEach((v, p) => {
      const truth = gray.data[p] > 127;
      inter += v && truth ? 1 : 0;
      union += v || truth ? 1 : 0;
    });
    if (inter / union >= 0.3) overlapping++;
  }
  return {
    images: rows.length,
    defective,
    iouRate: overlapping / defective,
    labelFreeF1: (2 * counts.tp) / (2 * counts.tp + counts.fp + counts.fn),
    oracleF1Max: oracle.finish().f1Max ?? NaN,
  };
}

const report = (name: string, m: Measured) =>
  console.log(
    `${name}: largest region IoU ≥ 0.3 on ${(100 * m.iouRate).toFixed(1)} % of ${m.defective} defective images; ` +
      `pixel F1 label-free ${m.labelFreeF1.toFixed(4)}, oracle F1-max ${m.oracleF1Max.toFixed(4)} (${m.images} images)`,
  );

describe.skipIf(!ready)('regions against the ground truth', () => {
  it('finds each defective bottle: the largest region overlaps its mask (IoU ≥ 0.3) on at least 80 %', async () => {
    const m = await measure(BOTTLE, 'bottle');
    report('MVTec bottle', m);
    expect(m.defective).toBe(63);
    expect(m.iouRate).toBeGreaterThanOrEqual(0.8);
  }, 300_000);

  const MPDD = join(REPO, '../shared/data/mpdd_resplit512/metal_plate');
  it.runIf(process.env.MUSCOPE_FINDINGS_MPDD === '1' && existsSync(MPDD))(
    'measures the same on MPDD metal_plate',
    async () => report('MPDD metal_plate', await measure(MPDD, 'mpdd')),
    900_000,
  );
});
