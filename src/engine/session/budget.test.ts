import { describe, expect, it } from 'vitest';
import { sessionBytes } from './budget.ts';

// 3 degrees × 2 layers (512 and 1024 dims) at a 14×14 grid: the default ResNet50-v2 setting.
const DEFAULT = { sets: 6, patches: 196, featureFloats: 196 * 3 * (512 + 1024) };

describe('what a session holds', () => {
  it('counts every ordered pair mutually, only pairs with a reference against references, and each image’s features', () => {
    // 83 · 82 = 6806 ordered pairs of 6 · 196 floats, and 83 images of 903 168 floats, 4 bytes each
    expect(sessionBytes({ queries: 83, references: 0, ...DEFAULT })).toBe(331_867_200);
    // 100 queries by 5 references and the 5 references by each other: 520 pairs; 105 images
    expect(sessionBytes({ queries: 100, references: 5, ...DEFAULT })).toBe(381_776_640);
  });
});
