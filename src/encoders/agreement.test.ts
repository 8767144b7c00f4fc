import { describe, expect, it } from 'vitest';
import { agreementTolerance, worstRelative } from './agreement.ts';

const out = (data: number[], dims = [data.length]) => ({ dims, data });

describe('worstRelative', () => {
  it('is the largest difference over each output’s own scale', () => {
    expect(worstRelative({ a: out([1, 2]), b: out([100, 0]) }, { a: out([1, 2.5]), b: out([101, 0]) })).toBeCloseTo(
      0.5 / 2.5,
      12,
    );
    expect(worstRelative({ a: out([3, -4]) }, { a: out([3, -4]) })).toBe(0);
  });

  it('is infinite for NaN, a missing output or another shape', () => {
    expect(worstRelative({ a: out([Number.NaN]) }, { a: out([1]) })).toBe(Infinity);
    expect(worstRelative({}, { a: out([1]) })).toBe(Infinity);
    expect(worstRelative({ a: out([1, 2], [1, 2]) }, { a: out([1, 2], [2, 1]) })).toBe(Infinity);
  });

  it('allows fp16 more than the f32 variants', () => {
    expect(agreementTolerance('fp16')).toBeGreaterThan(agreementTolerance('int8-weight'));
    expect(agreementTolerance('fp32')).toBe(agreementTolerance('int8-weight'));
  });
});
