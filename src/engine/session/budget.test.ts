import { describe, expect, it } from 'vitest';
import { mutualSessionBytes } from './budget.ts';

// 3 degrees × 2 layers (512 and 1024 dims) at a 14×14 grid: the default ResNet50-v2 setting.
const DEFAULT = { sets: 6, patches: 196, featureFloats: 196 * 3 * (512 + 1024) };

describe('what a session holds', () => {
  it('counts every ordered pair and each image’s features', () => {
    // 83 · 82 = 6806 ordered pairs of 6 · 196 floats, and 83 images of 903 168 floats, 4 bytes each
    expect(mutualSessionBytes({ images: 83, ...DEFAULT })).toBe(331_867_200);
  });
});
