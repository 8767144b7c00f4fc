import { describe, expect, it } from 'vitest';
import { globalAverageEmbedding } from './embedding.ts';

describe('globalAverageEmbedding', () => {
  it('averages each channel over the map and L2-normalises per image (hand case)', () => {
    // image 0: channel means 3 and 4 → (0.6, 0.8); image 1: all zero → stays zero
    const data = Float32Array.of(2, 4, 2, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0);
    const out = globalAverageEmbedding({ data, images: 2, channels: 2, height: 2, width: 2 });
    expect(Array.from(out)).toEqual([0.6, 0.8, 0, 0].map(Math.fround));
  });
});
