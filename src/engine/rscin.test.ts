import { describe, expect, it } from 'vitest';
import { minMaxNormalize, rscin } from './rscin.ts';

describe('minMaxNormalize', () => {
  it('maps the batch to [0, 1]', () => {
    expect(Array.from(minMaxNormalize([2, 4, 3]))).toEqual([0, 1, 0.5]);
  });

  it('maps a constant batch to zeros instead of NaN', () => {
    expect(Array.from(minMaxNormalize([0.7, 0.7, 0.7]))).toEqual([0, 0, 0]);
  });
});

describe('rscin', () => {
  // exactly representable 2-D embeddings: W = [[1, .75, 0], [.75, .8125, .5], [0, .5, 1]]
  const embeddings = Float32Array.of(1, 0, 0.75, 0.5, 0, 1);
  const scores = Float64Array.of(0, 1, 0.5);

  it('k = 1 returns each score itself (self is the most similar)', () => {
    expect(Array.from(rscin(scores, embeddings, 2, [1]))).toEqual([0, 1, 0.5]);
  });

  it('k = 2 is the similarity-weighted mean over self and the nearest image (hand case)', () => {
    expect(Array.from(rscin(scores, embeddings, 2, [2]))).toEqual([
      (1 * 0 + 0.75 * 1) / 1.75,
      (0.8125 * 1 + 0.75 * 0) / 1.5625,
      (1 * 0.5 + 0.5 * 1) / 1.5,
    ]);
  });

  it('averages over the windows', () => {
    const one = rscin(scores, embeddings, 2, [1]);
    const three = rscin(scores, embeddings, 2, [3]);
    const both = rscin(scores, embeddings, 2, [1, 3]);
    both.forEach((v, i) => expect(v).toBeCloseTo((one[i] + three[i]) / 2, 12));
  });

  it('falls back to the plain mean when all similarities are zero (no NaN)', () => {
    const out = rscin(Float64Array.of(0, 1), new Float32Array(4), 2, [2]);
    expect(Array.from(out)).toEqual([0.5, 0.5]);
  });
});
