import { describe, expect, it } from 'vitest';
import { compareOutputs, cosineSimilarity } from './variantCheck.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('cosineSimilarity', () => {
  it('is 1 for parallel, −1 for opposite and 0 for orthogonal tensors', () => {
    expect(cosineSimilarity(f32(1, 2, 3), f32(2, 4, 6))).toBeCloseTo(1, 12);
    expect(cosineSimilarity(f32(1, 2), f32(-1, -2))).toBeCloseTo(-1, 12);
    expect(cosineSimilarity(f32(1, 0), f32(0, 5))).toBe(0);
  });

  it('is NaN when a value is not finite, 1 for two zero tensors, 0 for one', () => {
    expect(cosineSimilarity(f32(1, Number.POSITIVE_INFINITY), f32(1, 1))).toBeNaN();
    expect(cosineSimilarity(f32(1, 2), f32(Number.NaN, 1))).toBeNaN();
    expect(cosineSimilarity(f32(0, 0), f32(0, 0))).toBe(1);
    expect(cosineSimilarity(f32(0, 0), f32(1, 0))).toBe(0);
  });

  it('refuses tensors of different sizes', () => {
    expect(() => cosineSimilarity(f32(1), f32(1, 2))).toThrow(RangeError);
  });
});

describe('compareOutputs', () => {
  const reference = [
    [f32(1, 2, 3), f32(1, 1)],
    [f32(3, 2, 1), f32(1, -1)],
  ];

  it('passes at the threshold and reports the worst output and image', () => {
    const candidate = [
      [f32(1, 2, 3), f32(1, 1)],
      [f32(3, 2, 1), f32(1, -0.8)],
    ];
    const report = compareOutputs(reference, candidate, ['a', 'b'], ['x', 'y'], 0.99);
    expect(report.passed).toBe(true);
    expect(report.worst).toMatchObject({ output: 'b', image: 'y' });
    expect(report.perOutput.a).toBeCloseTo(1, 12);
    expect(report.minTapCosine).toBe(report.perOutput.b);
  });

  it('fails below the threshold, and on any non-finite value even where other values agree', () => {
    const low = compareOutputs(
      reference,
      [
        [f32(1, 2, 3), f32(1, 1)],
        [f32(3, 2, 1), f32(1, 0)],
      ],
      ['a', 'b'],
      ['x', 'y'],
      0.99,
    );
    expect(low.passed).toBe(false);
    expect(low.failure).toMatch(/output b on y has cosine 0\.70711 < 0\.99/);

    const nan = compareOutputs(
      reference,
      [
        [f32(1, 2, Number.NaN), f32(1, 1)],
        [f32(3, 2, 1), f32(1, 0)],
      ],
      ['a', 'b'],
      ['x', 'y'],
      0.5,
    );
    expect(nan.passed).toBe(false);
    expect(nan.minTapCosine).toBeNaN();
    expect(nan.failure).toMatch(/output a has non-finite values on x/);
  });
});
