import { describe, expect, it } from 'vitest';
import { choiceOption, intOption, parseArgs, UsageError } from './args.ts';

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
