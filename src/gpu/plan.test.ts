import { describe, expect, it } from 'vitest';
import { imagesPerBinding, planGroup, splitImages } from './plan.ts';

const pairsOf = (flat: Uint32Array): [number, number][] =>
  Array.from({ length: flat.length / 2 }, (_, k) => [flat[2 * k], flat[2 * k + 1]]);

describe('GPU work plan', () => {
  it('fits whole images into one binding and refuses when one image does not fit', () => {
    expect(imagesPerBinding(1000, 3500, 10, 'features')).toBe(3);
    expect(imagesPerBinding(1000, 1e9, 10, 'features')).toBe(10);
    expect(() => imagesPerBinding(2 ** 21, 2 ** 20, 10, 'features')).toThrow(/2\.0 MiB.*1\.0 MiB/);
  });

  it('splits images into consecutive ranges', () => {
    expect(splitImages(7, 3)).toEqual([
      { first: 0, count: 3 },
      { first: 3, count: 3 },
      { first: 6, count: 1 },
    ]);
  });

  it('dispatches every unordered pair once when one group holds the whole table', () => {
    const images = 9;
    const plan = planGroup(images, { first: 0, count: images }, 4, 5);
    const pairs = pairsOf(plan.pairs);
    expect(pairs).toHaveLength((images * (images - 1)) / 2);
    expect(new Set(pairs.map(([i, j]) => `${i},${j}`)).size).toBe(pairs.length);
    expect(pairs.every(([i, j]) => i < j)).toBe(true);
    for (const d of plan.dispatches) {
      expect(d.pairCount).toBeLessThanOrEqual(5);
      for (const [i, j] of pairs.slice(d.pairBase, d.pairBase + d.pairCount)) {
        expect([Math.floor(i / 4), Math.floor(j / 4)]).toEqual([d.chunkA, d.chunkB]);
      }
    }
    expect(plan.dispatches.reduce((n, d) => n + d.pairCount, 0)).toBe(pairs.length);
  });

  it('gives each group every pair its table rows need, and only those', () => {
    const images = 10;
    for (const group of splitImages(images, 3)) {
      const pairs = new Set(pairsOf(planGroup(images, group, 4, 100).pairs).map(([i, j]) => `${i},${j}`));
      const inGroup = (n: number) => n >= group.first && n < group.first + group.count;
      for (let i = 0; i < images; i++) {
        for (let j = i + 1; j < images; j++) expect(pairs.has(`${i},${j}`)).toBe(inGroup(i) || inGroup(j));
      }
    }
  });
});
