import { describe, expect, it } from 'vitest';
import { imageThreshold, normalLevel } from './threshold.ts';

describe('pixel threshold', () => {
  // median 0.4, |deviations| 0.1, 0, 0, 0.1, 0.2 → MAD 0.1, robust SD 0.14826
  const judged = [0.3, 0.4, 0.4, 0.5, 0.6];
  const level = 0.4 + 3 * 0.14826;

  it('takes the normal level from the images judged normal: median + 3 robust SD of their map maxima', () => {
    const maxima = [...judged, 1.5, 1.9];
    const normal = maxima.map((v) => v < 1);
    const found = normalLevel(maxima, normal);
    expect(found.value).toBeCloseTo(level, 12);
    expect(found).toMatchObject({ basis: 'images judged normal', images: 5 });
  });

  it('prefers known-good references, and falls back to all images when fewer than 3 are normal', () => {
    expect(normalLevel([9, 9, 9], [true, true, true], judged)).toMatchObject({ basis: 'references', images: 5 });
    expect(normalLevel(judged, [true, true, false, false, false]).basis).toBe('all images');
    expect(normalLevel(judged, [true, true, false, false, false]).value).toBeCloseTo(level, 12);
    // 2 references and 3 images judged normal make 5 normal maps together: the same 5 values
    expect(normalLevel([0.4, 0.5, 0.6, 1.9], [true, true, true, false], [0.3, 0.4])).toMatchObject({
      basis: 'references and images judged normal',
      images: 5,
    });
    expect(normalLevel([0.4, 0.5, 0.6, 1.9], [true, true, true, false], [0.3, 0.4]).value).toBeCloseTo(level, 12);
  });

  it("puts an image's threshold halfway to its own peak, never below the normal level", () => {
    expect(imageThreshold(0.5, 0.9)).toBeCloseTo(0.7, 12);
    expect(imageThreshold(0.5, 0.3)).toBe(0.5);
  });
});
