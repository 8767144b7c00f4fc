import { describe, expect, it } from 'vitest';
import { mutualSessionBytes } from './budget.ts';

// 3 degrees × 2 layers (512 and 1024 dims) at a 14×14 grid: the default ResNet50-v2 setting.
const DEFAULT = { sets: 6, patches: 196, featureFloats: 196 * 3 * (512 + 1024), candidates: null };

describe('what a session holds', () => {
  it('counts every ordered pair and each image’s features', () => {
    // 83 · 82 = 6806 ordered pairs of 6 · 196 floats, and 83 images of 903 168 floats, 4 bytes each
    expect(mutualSessionBytes({ images: 83, ...DEFAULT })).toBe(331_867_200);
  });

  it('counts K scorers per image with candidate images, an odd K rounded up, never more than every other image', () => {
    // 1344 · 64 = 86 016 ordered pairs of 1176 floats (404 619 264 bytes) and 1344 images of 903 168 floats
    expect(mutualSessionBytes({ images: 1344, ...DEFAULT, candidates: 64 })).toBe(5_260_050_432);
    expect(mutualSessionBytes({ images: 1344, ...DEFAULT, candidates: 63 })).toBe(5_260_050_432);
    expect(mutualSessionBytes({ images: 83, ...DEFAULT, candidates: 100 })).toBe(331_867_200);
  });
});
