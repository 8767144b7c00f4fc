import { describe, expect, it } from 'vitest';
import { autoThreshold, otsuCut, verdictOf } from './batchThreshold.ts';

const flagged = (scores: number[]) => {
  const { value } = autoThreshold(scores);
  return scores.filter((s) => verdictOf(s, value) === 'anomalous').length;
};

// Final scores of MuScope's default model (ResNet50-v2 trunk) on MVTec AD bottle.
const DEMO_12 = [0.022, 0.025, 0.039, 0.057, 0.065, 0.12, 0.335, 0.635, 0.745, 0.826, 0.849, 0.885];
const GOOD_20 = [
  0.081, 0.084, 0.086, 0.093, 0.094, 0.132, 0.133, 0.134, 0.136, 0.137, 0.153, 0.158, 0.159, 0.165, 0.178, 0.209, 0.263,
  0.263, 0.3, 0.661,
];

const BOTTLE_83 = [
  0.016, 0.019, 0.027, 0.032, 0.034, 0.035, 0.036, 0.039, 0.04, 0.04, 0.043, 0.047, 0.051, 0.06, 0.067, 0.088, 0.095,
  0.113, 0.123, 0.211, 0.217, 0.217, 0.26, 0.312, 0.337, 0.355, 0.355, 0.362, 0.378, 0.388, 0.408, 0.43, 0.445, 0.464,
  0.471, 0.475, 0.481, 0.482, 0.493, 0.501, 0.511, 0.514, 0.515, 0.515, 0.515, 0.518, 0.529, 0.532, 0.533, 0.547, 0.55,
  0.55, 0.554, 0.567, 0.575, 0.589, 0.596, 0.596, 0.6, 0.614, 0.615, 0.616, 0.625, 0.627, 0.629, 0.63, 0.644, 0.653,
  0.659, 0.667, 0.706, 0.709, 0.711, 0.726, 0.733, 0.745, 0.746, 0.769, 0.78, 0.797, 0.802, 0.804, 0.87,
];
const BOTTLE_83_DEFECTIVE = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1,
];

describe('autoThreshold', () => {
  it('splits a half-defective batch at its gap', () => {
    const t = autoThreshold(DEMO_12);
    expect(t.split).toBe(true);
    expect(t.value).toBeGreaterThan(0.12);
    expect(t.value).toBeLessThan(0.335);
    expect(flagged(DEMO_12)).toBe(6);
  });

  it('separates a mostly defective set (MVTec bottle, 63 of 83 defective) with few errors', () => {
    const { value, split } = autoThreshold(BOTTLE_83);
    expect(split).toBe(true);
    const wrong = BOTTLE_83.filter(
      (s, i) => (verdictOf(s, value) === 'anomalous') !== (BOTTLE_83_DEFECTIVE[i] === 1),
    ).length;
    expect(wrong).toBeLessThanOrEqual(2);
  });

  it('flags only the clear outlier of a batch of good parts', () => {
    expect(flagged(GOOD_20)).toBe(1);
  });

  it('flags nothing when the scores have no gap', () => {
    const even = Array.from({ length: 20 }, (_, i) => i / 19);
    expect(flagged(even)).toBe(0);
    // a bell-shaped batch: normal quantiles
    const bell = [
      -1.64, -1.28, -1.04, -0.84, -0.67, -0.52, -0.39, -0.25, -0.13, 0, 0.13, 0.25, 0.39, 0.52, 0.67, 0.84, 1.04, 1.28,
      1.64,
    ].map((z) => 0.5 + 0.15 * z);
    expect(flagged(bell)).toBe(0);
  });

  it('does not call the majority anomalous because one image is unusually clean', () => {
    const oneLow = [0, 0.8, 0.82, 0.85, 0.86, 0.9, 0.93, 1];
    expect(flagged(oneLow)).toBe(0);
  });

  it('handles constant and tiny batches', () => {
    expect(autoThreshold([0.5, 0.5, 0.5]).split).toBe(false);
    expect(autoThreshold([]).split).toBe(false);
    expect(otsuCut([1])).toBe(0);
  });
});
