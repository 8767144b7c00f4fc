import { describe, expect, it } from 'vitest';
import { parseArgs, intOption, UsageError, choiceOption } from './args.ts';
import { splitIntoSubsets } from './subsets.ts';

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

describe('parseArgs', () => {
  const spec = { flags: ['force'], values: ['model', 'size'] };

  it('reads positionals, flags and both value spellings', () => {
    const args = parseArgs(['a', '--model', 'm', '--size=64', '--force', 'b'], spec);
    expect(args.positional).toEqual(['a', 'b']);
    expect(args.values.get('model')).toBe('m');
    expect(intOption(args, 'size', 224, 16)).toBe(64);
    expect(args.flags.has('force')).toBe(true);
  });

  it('rejects unknown options, missing values and bad numbers or choices', () => {
    expect(() => parseArgs(['--colour', 'red'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--model'], spec)).toThrow(/--model needs a value/);
    expect(() => intOption(parseArgs(['--size', '1e3x'], spec), 'size', 224, 16)).toThrow(/whole number/);
    expect(() => choiceOption(parseArgs(['--model', 'x'], spec), 'model', ['a', 'b'], 'a')).toThrow(/one of a, b/);
  });
});
