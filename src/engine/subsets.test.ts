import { describe, expect, it } from 'vitest';
import { runMusc } from './pipeline.ts';
import { randomUnitRows, randomValues, seededRandom } from './random.ts';
import { scoreInSubsets, splitIntoSubsets } from './subsets.ts';
import { DEFAULT_CONFIG, type MuscInput } from './types.ts';

describe('splitIntoSubsets', () => {
  it('keeps a set within the limit whole and in order', () => {
    expect(splitIntoSubsets(4, 5)).toEqual([[0, 1, 2, 3]]);
  });

  it('deals a shuffled set into ceil(N/M) disjoint subsets whose sizes differ by at most one, reproducibly', () => {
    const subsets = splitIntoSubsets(1344, 100);
    expect(subsets).toHaveLength(14);
    expect(new Set(subsets.map((s) => s.length))).toEqual(new Set([96]));
    expect(subsets.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 1344 }, (_, i) => i));
    expect(splitIntoSubsets(1344, 100)).toEqual(subsets);
    const sizes = splitIntoSubsets(83, 40).map((s) => s.length);
    expect(sizes).toEqual([28, 28, 27]);
    // not the folder order: the first subset is not a run of consecutive indices
    expect(subsets[0].slice(0, 5)).not.toEqual([0, 1, 2, 3, 4]);
  });
});

describe('scoreInSubsets', () => {
  const random = seededRandom(3);
  const images = 12;
  const input: MuscInput = {
    layers: [{ data: randomValues(images * 9 * 4, random), images, grid: 3, dim: 4, skip: 0 }],
    embeddings: randomUnitRows(images, 5, random),
    embedDim: 5,
  };
  const subset = (indices: number[]): MuscInput => ({
    layers: input.layers.map((l) => ({
      ...l,
      images: indices.length,
      data: Float32Array.from(indices.flatMap((i) => Array.from(l.data.subarray(i * 36, (i + 1) * 36)))),
    })),
    embeddings: Float32Array.from(
      indices.flatMap((i) => Array.from(input.embeddings?.subarray(i * 5, (i + 1) * 5) ?? [])),
    ),
    embedDim: 5,
  });
  const config = { ...DEFAULT_CONFIG, imageSize: 8 };
  const score = (maxBatch: number) =>
    scoreInSubsets(images, maxBatch, { embedDim: 5, kList: config.kList, forceSmallBatch: false }, async (indices) => {
      const part = subset(indices);
      return { result: await runMusc(part, { ...config, kList: [] }), embeddings: part.embeddings };
    });

  it('scores one subset exactly as the pipeline scores the whole set', async () => {
    const whole = await runMusc(input, config);
    const one = await score(images);
    expect(one.subsets).toBe(1);
    expect(Array.from(one.rawScores)).toEqual(Array.from(whole.imageScoresRaw));
    expect(Array.from(one.scores)).toEqual(Array.from(whole.imageScores));
  });

  it('scores each image within its own subset, RsCIN over all', async () => {
    const split = await score(6);
    expect(split.subsets).toBe(2);
    for (const indices of splitIntoSubsets(images, 6)) {
      const alone = await runMusc(subset(indices), { ...config, kList: [] });
      indices.forEach((n, k) => {
        expect(split.rawScores[n]).toBe(alone.imageScoresRaw[k]);
        expect(split.locate(n).position).toBe(k);
      });
    }
    expect(split.rscinWindows).toEqual([1, 2, 3]);
  });
});
