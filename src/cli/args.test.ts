import { describe, expect, it } from 'vitest';
import { choiceOption, intOption, numberOption, parseArgs, UsageError } from './args.ts';

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

  it('reads a number within bounds, null when absent', () => {
    expect(numberOption(parseArgs(['--size', '0.1'], spec), 'size', 0.02, 0.5)).toBe(0.1);
    expect(numberOption(parseArgs([], spec), 'size', 0.02, 0.5)).toBeNull();
    expect(() => numberOption(parseArgs(['--size', '0.9'], spec), 'size', 0.02, 0.5)).toThrow(
      '--size must be a number from 0.02 to 0.5; got "0.9"',
    );
    expect(() => numberOption(parseArgs(['--size=abc'], spec), 'size', 0.02, 0.5)).toThrow(/must be a number/);
  });
});
