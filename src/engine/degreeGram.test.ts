// Degree sharing (degreeGram.ts) against each degree's LNAMD features scored apart with the
// TypeScript matmul kernel: the same nearest-patch distances, on the WebAssembly kernel's slots
// and on a matmul kernel's.
import { describe, expect, it } from 'vitest';
import { matmulLayerSlots } from './kernels/matmulDegrees.ts';
import { nearestLayerSlots } from './kernels/nearestRows.ts';
import { tsKernel } from './kernels/tsKernel.ts';
import { perDegree, type LayerSlotsFactory } from './layerSlots.ts';
import { oneImage } from './layers.ts';
import { matmulSlots } from './msm.ts';
import { randomValues, seededRandom } from './random.ts';
import type { LayerFeatures } from './types.ts';

function layerOf(images: number, grid: number, dim: number, skip: number, seed: number): LayerFeatures {
  const data = randomValues(images * (skip + grid * grid) * dim, seededRandom(seed));
  // ReLU-like features with a common offset, as the trunks' taps are
  for (let k = 0; k < data.length; k++) data[k] = Math.max(0, data[k]) * 3 + 0.5;
  return { images, grid, dim, skip, data };
}

async function allPairs(factory: LayerSlotsFactory, layer: LayerFeatures, degrees: number[]): Promise<Float32Array[]> {
  const slots = factory(layer.grid, layer.dim, degrees);
  for (let n = 0; n < layer.images; n++) slots.put(n, oneImage(layer, n));
  const out: Float32Array[] = [];
  for (let i = 0; i + 1 < layer.images; i++) {
    const js = Array.from({ length: layer.images - 1 - i }, (_, t) => i + 1 + t);
    for (const row of await slots.pairs(i, js)) out.push(row.forward, row.backward);
  }
  return out;
}

function worstGap(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let worst = 0;
  a.forEach((x, k) => x.forEach((v, e) => (worst = Math.max(worst, Math.abs(v - b[k][e])))));
  return worst;
}

describe.each([
  ['WebAssembly gram', nearestLayerSlots],
  ['matmul kernel, small tiles', matmulLayerSlots(tsKernel, 3 * 64 * 4)],
] as const)('every degree from one product per pair (%s)', (_, factory) => {
  it.each([
    [5, 5, 24, 0, [1, 3, 5]],
    [4, 7, 33, 1, [1, 3, 5]],
    [4, 3, 8, 0, [3, 5, 7]],
    [3, 2, 6, 0, [1, 3]],
    [3, 1, 5, 1, [1, 3, 5]],
    [6, 14, 64, 0, [1, 3, 5]],
  ])(
    'matches LNAMD scored apart: %i images, grid %i, %i dims, %i skipped tokens, degrees %j',
    async (images, grid, dim, skip, degrees) => {
      const layer = layerOf(images, grid, dim, skip, images * 100 + grid);
      const apart = await allPairs(perDegree(matmulSlots(tsKernel)), layer, degrees);
      const shared = await allPairs(factory, layer, degrees);
      expect(worstGap(shared, apart)).toBeLessThan(2e-6);
    },
  );

  it('scores an image of constant features (every u_p zero) as LNAMD does', async () => {
    const layer = layerOf(3, 4, 8, 0, 7);
    layer.data.fill(2, 0, 16 * 8);
    const degrees = [1, 3];
    const apart = await allPairs(perDegree(matmulSlots(tsKernel)), layer, degrees);
    const shared = await allPairs(factory, layer, degrees);
    expect(worstGap(shared, apart)).toBeLessThan(2e-6);
    // image 0 against image 1: zero against unit vectors, distance 1
    expect(shared[0][0]).toBeCloseTo(1, 6);
  });
});
