// A defect that repeats across a batch (MuSc issue #33): mutual scoring compares each image with
// the others, so a defect that many images share finds its match and looks normal. Known-good
// references catch it. The batch is built here from real images: one real contamination defect
// (its pixels under its ground-truth mask) pasted at the same position into 8 of 15 good
// bottles; 5 other good bottles are the references. Both runs go through `muscope score`, and
// the metrics are computed from its scores.json and maps against the pasted masks.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PixelMetricsAccumulator } from '../engine/metrics/pixelMetrics.ts';
import { imageMetrics } from '../engine/metrics/ranking.ts';
import { preprocessMask } from '../engine/preprocess/mask.ts';
import { BOTTLE, readNpyFloat32, ready, runMuscope } from './cliRun.testing.ts';
import type { ScoreRow } from './score.ts';

const SIZE = 224;
const DEFECT = 'contamination/000';
const BATCH_GOOD = [
  '000',
  '001',
  '002',
  '003',
  '004',
  '005',
  '006',
  '007',
  '008',
  '009',
  '010',
  '011',
  '012',
  '013',
  '014',
];
/** every other one: 8 of the 15 carry the same pasted defect */
const PASTED = new Set(['000', '002', '004', '006', '008', '010', '012', '014']);
const REFERENCES = ['015', '016', '017', '018', '019'];

const work = mkdtempSync(join(tmpdir(), 'repeated-defect-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const masks = new Map<string, Uint8Array>();

async function raw(path: string, channels: 1 | 3): Promise<Buffer> {
  const image = sharp(path);
  return (channels === 1 ? image.grayscale() : image.removeAlpha()).raw().toBuffer();
}

describe.skipIf(!ready)('a defect repeated across the batch', () => {
  beforeAll(async () => {
    const [defect, mask] = await Promise.all([
      raw(join(BOTTLE, 'test', `${DEFECT}.png`), 3),
      raw(join(BOTTLE, 'ground_truth', `${DEFECT}_mask.png`), 1),
    ]);
    const { width, height } = await sharp(join(BOTTLE, 'test', `${DEFECT}.png`)).metadata();
    const side = width as number;
    mkdirSync(join(work, 'batch'));
    mkdirSync(join(work, 'refs'));
    const maskImage = { data: new Uint8Array(mask), width: side, height: height as number, channels: 1 as const };
    const empty = new Uint8Array(SIZE * SIZE);
    for (const n of BATCH_GOOD) {
      const good = await raw(join(BOTTLE, 'test/good', `${n}.png`), 3);
      if (PASTED.has(n))
        for (let p = 0; p < mask.length; p++) if (mask[p] > 0) good.set(defect.subarray(p * 3, p * 3 + 3), p * 3);
      const path = join(work, 'batch', `${n}.png`);
      await sharp(good, { raw: { width: side, height: height as number, channels: 3 } })
        .png()
        .toFile(path);
      masks.set(path, PASTED.has(n) ? preprocessMask(maskImage, SIZE, 'int-cast') : empty);
    }
    for (const n of REFERENCES)
      await sharp(join(BOTTLE, 'test/good', `${n}.png`)).toFile(join(work, 'refs', `${n}.png`));
  }, 120_000);

  const evaluate = (out: string, ...options: string[]) => {
    const r = runMuscope(
      work,
      'score',
      join(work, 'batch'),
      '--size',
      String(SIZE),
      '--no-overlays',
      '--out',
      out,
      ...options,
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(work, out, 'scores.json'), 'utf8')) as ScoreRow[];
    const pixels = new PixelMetricsAccumulator(SIZE, SIZE, rows.length);
    for (const row of rows) pixels.add(readNpyFloat32(join(work, row.map)), masks.get(row.path) as Uint8Array);
    const labels = rows.map((row) => (masks.get(row.path)?.some((v) => v > 0) ? 1 : 0));
    return {
      image:
        imageMetrics(
          labels,
          rows.map((row) => row.score),
        ).auroc ?? NaN,
      pixel: pixels.finish().auroc ?? NaN,
      rows,
    };
  };

  it('is missed by mutual scoring alone and caught against 5 known-good references', () => {
    const mutual = evaluate('mutual');
    const references = evaluate('references', '--reference', join(work, 'refs'));
    console.log(
      `repeated defect (${DEFECT} pasted into ${PASTED.size} of ${BATCH_GOOD.length} good bottles): mutual image AUROC ${mutual.image.toFixed(4)}, pixel AUROC ${mutual.pixel.toFixed(4)}; ` +
        `against ${REFERENCES.length} references image AUROC ${references.image.toFixed(4)}, pixel AUROC ${references.pixel.toFixed(4)}`,
    );
    expect(references.image).toBeGreaterThanOrEqual(0.98);
    expect(references.pixel).toBeGreaterThanOrEqual(0.95);
    expect(mutual.image).toBeLessThan(references.image);
    for (const row of references.rows)
      expect(row.verdict).toBe(masks.get(row.path)?.some((v) => v > 0) ? 'anomalous' : 'normal');
  });
});
