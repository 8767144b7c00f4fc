import { describe, expect, it } from 'vitest';
import type { RankInterval } from './config.ts';
import { bandRows, patchBands } from './alignment.ts';
import { MuscError } from './errors.ts';
import { tsKernel } from './kernels/tsKernel.ts';
import { intervalMean, mutualScores } from './msm.ts';
import { randomUnitRows, seededRandom } from './random.ts';

const window = (kMin: number, kMax: number): RankInterval => ({ kMin, kMax });

/**
 * compute_scores_fast of the reference, literally: per image, all distances to all others;
 * `meets(p, q)` narrows which patches of another image count (a shortcut's rule, said directly).
 */
function referenceMsm(
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
  { kMin, kMax }: RankInterval,
  meets: (p: number, q: number) => boolean = () => true,
): Float64Array {
  const out = new Float64Array(images * patches);
  for (let i = 0; i < images; i++) {
    for (let p = 0; p < patches; p++) {
      const nearest: number[] = [];
      for (let j = 0; j < images; j++) {
        if (j === i) continue;
        let best = Infinity;
        for (let q = 0; q < patches; q++) {
          if (!meets(p, q)) continue;
          let sq = 0;
          for (let d = 0; d < dim; d++) sq += (z[(i * patches + p) * dim + d] - z[(j * patches + q) * dim + d]) ** 2;
          best = Math.min(best, Math.sqrt(sq));
        }
        nearest.push(best);
      }
      const kept = nearest.sort((x, y) => x - y).slice(kMin, kMax);
      out[i * patches + p] = kept.reduce((s, v) => s + v, 0) / kept.length;
    }
  }
  return out;
}

describe('mutualScores', () => {
  it('averages the nearest-patch Euclidean distances of the kept ranks (hand case)', async () => {
    // three images of one patch each on the unit circle at 0°, 90° and 180°
    const z = Float32Array.of(1, 0, 0, 1, -1, 0);
    const closest = await mutualScores(z, 3, 1, 2, window(0, 1), { kernel: tsKernel });
    expect(Array.from(closest)).toEqual([Math.SQRT2, Math.SQRT2, Math.SQRT2].map((v) => expect.closeTo(v, 6)));
    const both = await mutualScores(z, 3, 1, 2, window(0, 2), { kernel: tsKernel });
    // image 0: distances √2 (to 90°) and 2 (to 180°)
    expect(both[0]).toBeCloseTo((Math.SQRT2 + 2) / 2, 6);
    expect(both[1]).toBeCloseTo(Math.SQRT2, 6);
    const farthest = await mutualScores(z, 3, 1, 2, window(1, 2), { kernel: tsKernel });
    expect(farthest[0]).toBeCloseTo(2, 6);
  });

  it('takes the nearest patch of each other image (hand case)', async () => {
    // image 0 patches: e1, e2; image 1 patches: e1, −e2 → patch e2 of image 0 is √2 from its nearest
    const z = Float32Array.of(1, 0, 0, 1, 1, 0, 0, -1);
    const scores = await mutualScores(z, 2, 2, 2, window(0, 1), { kernel: tsKernel });
    expect(Array.from(scores)).toEqual([0, Math.SQRT2, 0, Math.SQRT2].map((v) => expect.closeTo(v, 6)));
  });

  it.each([
    ['one tile per image pair', 4 * 16 * 16],
    ['row-split tiles', 4 * 16 * 5],
    ['all pairs in one call', 1 << 25],
  ])('matches the reference computation with %s', async (_, maxTileBytes) => {
    const images = 7;
    const patches = 16;
    const dim = 8;
    const z = randomUnitRows(images * patches, dim, seededRandom(3));
    const w = window(1, 3);
    const scores = await mutualScores(z, images, patches, dim, w, { kernel: tsKernel, maxTileBytes });
    const expected = referenceMsm(z, images, patches, dim, w);
    for (let i = 0; i < scores.length; i++) expect(scores[i]).toBeCloseTo(expected[i], 5);
  });

  it.each([
    ['one tile per image pair', 4 * 36 * 36],
    ['row-split tiles', 4 * 36 * 5],
    ['all pairs in one call', 1 << 25],
  ])(
    'with aligned parts, matches the reference restricted to patches at most one band apart (%s)',
    async (_, maxTileBytes) => {
      const images = 6;
      const grid = 6;
      const patches = grid * grid;
      const dim = 8;
      const z = randomUnitRows(images * patches, dim, seededRandom(11));
      const w = window(0, 2);
      const band = bandRows(grid, 0.3); // 2 rows: bands {0,1}, {2,3}, {4,5}
      expect(band).toBe(2);
      const bandOf = (p: number): number => Math.floor(Math.floor(p / grid) / band);
      const bands = patchBands(grid, 0.3);
      const scores = await mutualScores(z, images, patches, dim, w, { kernel: tsKernel, maxTileBytes, bands });
      const expected = referenceMsm(z, images, patches, dim, w, (p, q) => Math.abs(bandOf(p) - bandOf(q)) <= 1);
      for (let i = 0; i < scores.length; i++) expect(scores[i]).toBeCloseTo(expected[i], 5);
      // the shortcut changes the scores of the top and bottom bands (their far bands are left out)
      const exact = referenceMsm(z, images, patches, dim, w);
      expect(Math.max(...scores.map((v, i) => Math.abs(v - exact[i])))).toBeGreaterThan(1e-3);
    },
  );

  it('reports pair progress up to N(N−1)/2 and stops when aborted', async () => {
    const z = randomUnitRows(6 * 4, 3, seededRandom(1));
    const seen: number[] = [];
    await mutualScores(z, 6, 4, 3, window(0, 1), {
      kernel: tsKernel,
      onPairs: (done, total) => seen.push(done / total),
    });
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const controller = new AbortController();
    const run = mutualScores(z, 6, 4, 3, window(0, 1), {
      kernel: tsKernel,
      signal: controller.signal,
      maxTileBytes: 4 * 16,
      onPairs: () => controller.abort(),
    });
    await expect(run).rejects.toEqual(
      new MuscError('cancelled', 'Scoring was cancelled. The results computed so far are kept.'),
    );
  });
});

describe('intervalMean', () => {
  it('equals the mean of the sorted ranks, ties and repeated values included', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 500; trial++) {
      const length = 1 + Math.floor(random() * 90);
      // few distinct values in some trials, so ties are common
      const levels = trial % 2 ? 4 : 1000;
      const values = Float32Array.from({ length }, () => Math.floor(random() * levels) / levels);
      const kMax = 1 + Math.floor(random() * length);
      const kMin = Math.floor(random() * kMax);
      const sorted = [...values].sort((a, b) => a - b);
      let sum = 0;
      for (let k = kMin; k < kMax; k++) sum += sorted[k];
      expect(intervalMean(values.slice(), window(kMin, kMax))).toBe(sum / (kMax - kMin));
    }
  });
});
