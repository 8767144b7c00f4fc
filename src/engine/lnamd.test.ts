import { describe, expect, it } from 'vitest';
import { MuscError } from './errors.ts';
import { lnamd } from './lnamd.ts';
import { randomValues, seededRandom } from './random.ts';
import type { LayerFeatures } from './types.ts';

const layer = (data: number[] | Float32Array, images: number, grid: number, dim: number, skip = 0): LayerFeatures => ({
  data: Float32Array.from(data),
  images,
  grid,
  dim,
  skip,
});

/** The reference's own form: LayerNorm over (D,h,h) with σ, zero-padded r×r average pool /r², L2. */
function referenceLnamd(l: LayerFeatures, r: number): Float64Array {
  const { images, grid, dim, skip, data } = l;
  const P = grid * grid;
  const out = new Float64Array(images * P * dim);
  const pad = (r - 1) / 2;
  for (let n = 0; n < images; n++) {
    const x = Array.from(data.subarray((n * (skip + P) + skip) * dim, (n + 1) * (skip + P) * dim));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    const ln = x.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
    for (let y = 0; y < grid; y++) {
      for (let xx = 0; xx < grid; xx++) {
        const v = new Float64Array(dim);
        for (let dy = -pad; dy <= pad; dy++) {
          for (let dx = -pad; dx <= pad; dx++) {
            const sy = y + dy;
            const sx = xx + dx;
            if (sy < 0 || sy >= grid || sx < 0 || sx >= grid) continue; // zero padding
            for (let d = 0; d < dim; d++) v[d] += ln[(sy * grid + sx) * dim + d] / (r * r);
          }
        }
        const norm = Math.hypot(...v);
        for (let d = 0; d < dim; d++) out[(n * P + y * grid + xx) * dim + d] = v[d] / norm;
      }
    }
  }
  return out;
}

describe('lnamd', () => {
  it('r = 1 subtracts the per-image scalar mean and normalises each patch (hand case)', () => {
    // 2×2 grid, D = 2; the mean of all 8 values is 10, leaving (3,4), (−3,−4), (0,5), (0,−5)
    const z = lnamd(layer([13, 14, 7, 6, 10, 15, 10, 5], 1, 2, 2), 1);
    expect(Array.from(z)).toEqual([0.6, 0.8, -0.6, -0.8, 0, 1, 0, -1].map(Math.fround));
    // a patch equal to the mean stays zero instead of becoming NaN
    expect(Array.from(lnamd(layer([5, 5], 1, 1, 2), 1))).toEqual([0, 0]);
  });

  it('r = 3 sums each 3×3 neighbourhood, skipping cells outside the grid (hand case)', () => {
    // 3×3 grid, D = 2, offset 10 on every value; centred: (0,0) → (1,0), (0,1) → (0,1), (2,2) → (−1,−1)
    const centred = [
      [1, 0],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [-1, -1],
    ];
    const z = lnamd(
      layer(
        centred.flat().map((v) => v + 10),
        1,
        3,
        2,
      ),
      3,
    );
    const patch = (y: number, x: number): number[] => Array.from(z.subarray((y * 3 + x) * 2, (y * 3 + x + 1) * 2));
    const s = Math.fround(Math.SQRT1_2);
    expect(patch(0, 0)).toEqual([s, s]); // (0,0)+(0,1)+(1,0)+(1,1) = (1, 1)
    expect(patch(0, 1)).toEqual([s, s]); // top row pair plus (0,2) and the middle row: (1, 1)
    expect(patch(1, 1)).toEqual([0, 0]); // all nine sum to zero
    expect(patch(2, 2)).toEqual([-s, -s]); // (1,1)+(1,2)+(2,1)+(2,2) = (−1, −1)
  });

  it('drops the skipped leading tokens', () => {
    const withCls = lnamd(layer([99, -99, 1, 2, 3, 4], 1, 1, 2, 2), 1);
    const without = lnamd(layer([1, 2, 3, 4], 1, 1, 2), 1);
    expect(withCls).toEqual(without);
  });

  it.each([1, 3, 5])('equals the reference LayerNorm + zero-padded average pool form at r = %i', (r) => {
    const l = layer(randomValues(2 * (1 + 25) * 6, seededRandom(r)), 2, 5, 6, 1);
    const z = lnamd(l, r);
    const expected = referenceLnamd(l, r);
    for (let i = 0; i < z.length; i++) expect(z[i]).toBeCloseTo(expected[i], 6);
  });

  it('rejects an even degree and broken features with plain messages', () => {
    const l = layer([1, 2, 3, 4], 1, 1, 4);
    expect(() => lnamd(l, 2)).toThrow(
      new MuscError(
        'invalid-config',
        'Aggregation degrees must be odd whole numbers such as 1, 3, 5; got 2. Use odd degrees only.',
      ),
    );
    const broken = layer([0, 0, 0, 0, 1, NaN, 0, 0], 2, 1, 4);
    expect(() => lnamd(broken, 1)).toThrow(/features of image 2 contain invalid numbers \(NaN or infinity\)/);
  });
});
