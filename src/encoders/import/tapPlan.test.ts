import { describe, expect, it } from 'vitest';
import { checkTapBlocks, defaultTapBlocks, parseLayerList } from './tapPlan.ts';

describe('tap plan', () => {
  it("picks MuSc's 4 evenly spaced blocks ending with the last", () => {
    expect(defaultTapBlocks(12)).toEqual([2, 5, 8, 11]);
    expect(defaultTapBlocks(24)).toEqual([5, 11, 17, 23]);
    expect(defaultTapBlocks(4)).toEqual([0, 1, 2, 3]);
    expect(defaultTapBlocks(2)).toEqual([0, 1]);
  });

  it('parses and checks --layers', () => {
    expect(checkTapBlocks(parseLayerList('8, 2,5'), 12)).toEqual([2, 5, 8]);
    expect(() => parseLayerList('2,x')).toThrow(/0-based block indices/);
    expect(() => checkTapBlocks([2, 12], 12)).toThrow(/layer 12 does not exist: the model has 12 blocks/);
    expect(() => checkTapBlocks([2, 2], 12)).toThrow(/twice/);
  });
});
