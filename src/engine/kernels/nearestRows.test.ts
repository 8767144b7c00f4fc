import { describe, expect, it } from 'vitest';
import { patchBands } from '../alignment.ts';
import { mutualScores, mutualScoresByRows } from '../msm.ts';
import { randomUnitRows, seededRandom } from '../random.ts';
import { createNearestRows, kernelFlavour, type KernelFlavour } from './nearestRows.ts';
import { tsKernel } from './tsKernel.ts';

const flavours: KernelFlavour[] = ['plain', 'fma'];

it('picks the fused kernel where relaxed SIMD validates (Vitest runs Node with it, as Chromium has it)', () => {
  expect(kernelFlavour).toBe('fma');
});

describe.each(flavours)('createNearestRows (WebAssembly SIMD kernel, %s)', (flavour) => {
  // Odd patch counts, fewer than 4 patches and dims that are not a multiple of 4 take the
  // kernel's clamped edge tiles and the loader's padding.
  it.each([
    [7, 196, 64],
    [5, 9, 6],
    [6, 3, 5],
    [5, 1, 4],
    [4, 17, 33],
  ])('gives the matmul path’s MSM scores for %i images × %i patches × %i dims', async (images, patches, dim) => {
    const z = randomUnitRows(images * patches, dim, seededRandom(images * 1000 + patches));
    const window = { kMin: 0, kMax: Math.max(1, Math.floor((images - 1) * 0.6)) };
    const expected = await mutualScores(z, images, patches, dim, window, { kernel: tsKernel });
    const rows = createNearestRows({ z, images, patches, dim }, flavour);
    const scores = await mutualScoresByRows(images, patches, window, rows, {});
    let worst = 0;
    for (let k = 0; k < scores.length; k++) worst = Math.max(worst, Math.abs(scores[k] - expected[k]));
    expect(scores.length).toBe(images * patches);
    expect(worst).toBeLessThan(2e-6);
  });

  it.each([
    [6, 6, 0.3, 33],
    [5, 7, 0.15, 16],
    [5, 9, 0.1, 8],
  ])(
    'with aligned parts, gives the matmul path’s scores (%i images, %i×%i grid, tolerance %f, %i dims)',
    async (images, grid, tolerance, dim) => {
      const patches = grid * grid;
      const z = randomUnitRows(images * patches, dim, seededRandom(grid * 100 + dim));
      const window = { kMin: 0, kMax: 2 };
      const bands = patchBands(grid, tolerance);
      expect(bands.bounds.length).toBeGreaterThan(3);
      const expected = await mutualScores(z, images, patches, dim, window, { kernel: tsKernel, bands });
      const rows = createNearestRows({ z, images, patches, dim }, flavour, bands);
      const scores = await mutualScoresByRows(images, patches, window, rows, {});
      let worst = 0;
      for (let k = 0; k < scores.length; k++) worst = Math.max(worst, Math.abs(scores[k] - expected[k]));
      expect(worst).toBeLessThan(2e-6);
    },
  );

  it('finds an exact duplicate patch at distance 0 in both directions', async () => {
    const dim = 12;
    const z = randomUnitRows(2 * 8, dim, seededRandom(9));
    z.copyWithin(8 * dim + 5 * dim, 3 * dim, 4 * dim); // image 1, patch 5 := image 0, patch 3
    const { forward, backward } = await createNearestRows({ z, images: 2, patches: 8, dim }, flavour)(0);
    expect(forward[3]).toBeLessThan(1e-3);
    expect(backward[5]).toBeLessThan(1e-3);
    expect(Math.min(...forward.filter((_, p) => p !== 3))).toBeGreaterThan(0.1);
  });

  it('runs rows concurrently to the same scores', async () => {
    const [images, patches, dim] = [9, 10, 16];
    const z = randomUnitRows(images * patches, dim, seededRandom(4));
    const window = { kMin: 1, kMax: 4 };
    const rows = createNearestRows({ z, images, patches, dim }, flavour);
    const one = await mutualScoresByRows(images, patches, window, rows, {});
    const three = await mutualScoresByRows(images, patches, window, rows, { concurrency: 3 });
    expect(three).toEqual(one);
  });
});
