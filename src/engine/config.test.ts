import { describe, expect, it } from 'vitest';
import { rscinPlan, scorerWindow, validateConfig } from './config.ts';
import { MuscError } from './errors.ts';
import { DEFAULT_CONFIG, type MuscConfig } from './types.ts';

function errorOf(run: () => unknown): MuscError {
  try {
    run();
  } catch (e) {
    if (e instanceof MuscError) return e;
    throw e;
  }
  throw new Error('expected a MuscError');
}

const config = (over: Partial<MuscConfig> = {}): MuscConfig => ({ ...DEFAULT_CONFIG, imageSize: 224, ...over });

describe('scorerWindow', () => {
  it('keeps floor(0.3·(N−1)) scorers by default', () => {
    expect(scorerWindow(83, [0, 0.3], false)).toEqual({ kMin: 0, kMax: 24, forced: false });
    expect(scorerWindow(5, [0, 0.3], false)).toEqual({ kMin: 0, kMax: 1, forced: false });
    expect(scorerWindow(200, [0, 0.3], false)).toEqual({ kMin: 0, kMax: 59, forced: false });
  });

  it('treats bounds ≥ 1 as counts and swaps reversed bounds', () => {
    expect(scorerWindow(20, [2, 5], false)).toEqual({ kMin: 2, kMax: 5, forced: false });
    expect(scorerWindow(21, [0.3, 0.1], false)).toEqual({ kMin: 2, kMax: 6, forced: false });
    expect(scorerWindow(21, [3, 0.5], false)).toEqual({ kMin: 3, kMax: 10, forced: false });
  });

  it('refuses fewer than 5 images with advice', () => {
    const e = errorOf(() => scorerWindow(3, [0, 0.3], false));
    expect(e.code).toBe('too-few-images');
    expect(e.message).toBe(
      'Mutual scoring needs at least 5 images of the same product; got 3. Add more images, or score anyway ' +
        '(the scores of such a small batch are unreliable and will be labelled as forced).',
    );
  });

  it('scores a small batch when forced with at least one scorer', () => {
    expect(scorerWindow(3, [0, 0.3], true)).toEqual({ kMin: 0, kMax: 1, forced: true });
    expect(scorerWindow(2, [0, 0.3], true)).toEqual({ kMin: 0, kMax: 1, forced: true });
  });

  it('needs two images even when forced', () => {
    const e = errorOf(() => scorerWindow(1, [0, 0.3], true));
    expect(e.code).toBe('too-few-images');
    expect(e.message).toMatch(/at least 2 images even when forced .*got 1\. Add more images/);
  });

  it('rejects an interval that keeps nobody, or more images than exist', () => {
    const empty = errorOf(() => scorerWindow(6, [0.2, 0.3], false));
    expect(empty.code).toBe('invalid-config');
    expect(empty.message).toBe(
      'The scoring interval [0.2, 0.3] keeps none of the 5 other images for a batch of 6. Widen the interval, add more images, or score anyway.',
    );
    expect(scorerWindow(6, [0.2, 0.3], true)).toEqual({ kMin: 1, kMax: 2, forced: true });
    const tooMany = errorOf(() => scorerWindow(6, [0, 7], false));
    expect(tooMany.message).toBe(
      'The scoring interval asks for the 7 closest of the other images, but each image has only 5 others. Lower the interval bounds or add more images.',
    );
  });
});

describe('validateConfig', () => {
  it('accepts the defaults', () => {
    expect(() => validateConfig(config())).not.toThrow();
  });

  it.each([
    [{ rList: [1, 2] }, 'Aggregation degrees must be odd whole numbers such as 1, 3, 5; got 2. Use odd degrees only.'],
    [{ rList: [] }, 'No aggregation degree given. Use at least one odd degree, for example [1, 3, 5].'],
    [{ interval: [0, 1.5] as [number, number] }, /fraction in \[0, 1\) or a whole count of images; got 1\.5/],
    [{ interval: [-0.1, 0.3] as [number, number] }, /got -0\.1\. The default interval is \[0, 0\.3\]/],
    [
      { kList: [1, -2] },
      'RsCIN windows must be whole numbers ≥ 0; got -2. Use for example [1, 2, 3], or [] to skip RsCIN.',
    ],
    [{ imageSize: 0 }, 'The anomaly map size must be a whole number of pixels ≥ 2; got 0.'],
  ])('rejects %o', (over, message) => {
    const e = errorOf(() => validateConfig(config(over)));
    expect(e.code).toBe('invalid-config');
    expect(e.message).toMatch(message);
  });
});

describe('rscinPlan', () => {
  it('skips RsCIN without embeddings, with no windows or with a 0 window', () => {
    expect(rscinPlan(10, [1, 2, 3], false, false).windows).toEqual([]);
    expect(rscinPlan(10, [], true, false).windows).toEqual([]);
    expect(rscinPlan(10, [0, 2], true, false).windows).toEqual([]);
    expect(rscinPlan(10, [1, 8, 9], true, false)).toEqual({ windows: [1, 8, 9], forced: false });
  });

  it('refuses windows larger than the batch unless forced, then clamps them', () => {
    const e = errorOf(() => rscinPlan(7, [1, 8, 9], true, false));
    expect(e.code).toBe('rscin-too-few-images');
    expect(e.message).toBe(
      'Re-scoring with similar images (RsCIN) uses windows of up to 9 images, but the batch has only 7. ' +
        'Add at least 2 more image(s), use smaller windows such as [1, 2, 3], turn RsCIN off, or score anyway.',
    );
    expect(rscinPlan(7, [1, 8, 9], true, true)).toEqual({ windows: [1, 7, 7], forced: true });
  });
});
