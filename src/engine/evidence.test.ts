import { describe, expect, it } from 'vitest';
import { nearestPatch } from './evidence.ts';
import { randomUnitRows, seededRandom } from './random.ts';
import type { LayerFeatures } from './types.ts';

const grid = 4;
const P = grid * grid;
const dims = [8, 12];
const layersOf = (seed: number): LayerFeatures[] =>
  dims.map((dim, l) => ({ images: 1, grid, dim, skip: 0, data: randomUnitRows(P, dim, seededRandom(seed + l)) }));

/** Independent truth at r = 1 (docs/method.md §5): centre on the image's mean of all values, then unit rows. */
function degreeOne(layer: LayerFeatures, p: number): number[] {
  const mean = layer.data.reduce((s, v) => s + v, 0) / layer.data.length;
  const row = Array.from(layer.data.subarray(p * layer.dim, (p + 1) * layer.dim), (v) => v - mean);
  const norm = Math.hypot(...row);
  return row.map((v) => v / norm);
}

describe('nearestPatch', () => {
  it('finds where a patch went when the target holds the query’s patches in another order, at distance 0', () => {
    const query = layersOf(1);
    const order = Array.from({ length: P }, (_, q) => (q * 5 + 3) % P); // target patch q = query patch order[q]
    const target = query.map((layer) => {
      const data = new Float32Array(layer.data.length);
      order.forEach((from, q) =>
        data.set(layer.data.subarray(from * layer.dim, (from + 1) * layer.dim), q * layer.dim),
      );
      return { ...layer, data };
    });
    const found = nearestPatch(query, target, 6, [1]);
    expect(order[found.patch]).toBe(6);
    expect(found.distance).toBeLessThan(1e-6);
  });

  it('gives the patch with the smallest mean over layers of the feature distances', () => {
    const query = layersOf(7);
    const target = layersOf(70);
    const found = nearestPatch(query, target, 3, [1]);
    const mean = (q: number) =>
      dims.reduce((sum, _, l) => {
        const a = degreeOne(query[l], 3);
        const b = degreeOne(target[l], q);
        return sum + Math.hypot(...a.map((v, d) => v - b[d]));
      }, 0) / dims.length;
    const all = Array.from({ length: P }, (_, q) => mean(q));
    const best = all.indexOf(Math.min(...all));
    expect(found.patch).toBe(best);
    expect(found.distance).toBeCloseTo(all[best], 5);
  });
});
