// The image embedding of a CNN backbone for RsCIN (docs/method.md §4): the global average of a tap
// [N, C, H, W], L2-normalised per image.

import type { NchwTensor } from './types.ts';
import { l2NormalizeInto } from './vector.ts';

export function globalAverageEmbedding(tap: NchwTensor): Float32Array {
  const { images, channels, height, width, data } = tap;
  const area = height * width;
  const means = new Float64Array(channels);
  const out = new Float32Array(images * channels);
  for (let n = 0; n < images; n++) {
    for (let c = 0; c < channels; c++) {
      const plane = (n * channels + c) * area;
      let sum = 0;
      for (let i = 0; i < area; i++) sum += data[plane + i];
      means[c] = sum / area;
    }
    l2NormalizeInto(means, 0, out, n * channels, channels);
  }
  return out;
}
