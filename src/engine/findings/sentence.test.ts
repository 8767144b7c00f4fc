import { describe, expect, it } from 'vitest';
import type { Region } from './regions.ts';
import { describeRegion, describeRegions } from './sentence.ts';

const region = (position: string, areaPercent: number, elongation = 1): Region => ({
  bbox: [0, 0, 1, 1],
  area: 1,
  areaPercent,
  centroid: [0.5, 0.5],
  peak: 1,
  mean: 1,
  elongation,
  position,
  polygon: [],
});

describe('describeRegions', () => {
  it('says how many regions, where, how large and whether elongated: only measured facts', () => {
    expect(describeRegions([])).toBe('No region above the pixel threshold.');
    expect(describeRegions([region('upper right', 4.2, 3.5)])).toBe(
      'One region, upper right, 4 % of the image, elongated.',
    );
    expect(describeRegions([region('centre', 0.64, 2.9)])).toBe('One region, centre, 0.6 % of the image.');
    expect(describeRegions([region('lower left', 12), region('centre right', 0.3)])).toBe(
      'Two regions: lower left, 12 % of the image; centre right, 0.3 % of the image.',
    );
    const five = [12, 5, 3, 2, 1].map((p) => region('centre', p));
    expect(describeRegions(five)).toBe(
      '5 regions: centre, 12 % of the image; centre, 5 % of the image; centre, 3 % of the image; 2 smaller.',
    );
  });

  it('says one region on its own in the same words', () => {
    expect(describeRegion(region('upper right', 4.2, 3.5))).toBe('Upper right, 4 % of the image, elongated.');
    expect(describeRegion(region('centre', 0.25))).toBe('Centre, 0.3 % of the image.');
  });
});
