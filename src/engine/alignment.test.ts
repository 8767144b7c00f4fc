import { describe, expect, it } from 'vitest';
import { comparisons, patchBands, patchBlocks } from './alignment.ts';
import { MuscError } from './errors.ts';

describe('patchBands', () => {
  it.each([
    [14, 0.1],
    [28, 0.07],
    [28, 0.1],
    [21, 0.15],
    [32, 0.05],
  ])(
    'on a %i grid at tolerance %f, the rows partition the image and every patch meets each patch within one band height',
    (grid, tolerance) => {
      const bands = patchBands(grid, tolerance);
      const blocks = patchBlocks(bands);
      const patches = grid * grid;
      const band = Math.max(1, Math.round(tolerance * grid));
      const meets = Array.from({ length: patches }, () => new Set<number>());
      let covered = 0;
      for (const b of blocks) {
        covered += b.rowEnd - b.rowStart;
        for (let p = b.rowStart; p < b.rowEnd; p++) for (let q = b.colStart; q < b.colEnd; q++) meets[p].add(q);
      }
      expect(covered).toBe(patches);
      const violations = { missed: 0, tooFar: 0, asymmetric: 0 };
      for (let p = 0; p < patches; p++) {
        const row = Math.floor(p / grid);
        for (let q = 0; q < patches; q++) {
          const gap = Math.abs(Math.floor(q / grid) - row);
          if (gap <= band && !meets[p].has(q)) violations.missed++; // within the tolerance: always compared
          if (gap >= 2 * band && meets[p].has(q)) violations.tooFar++; // two bands away: never
          if (meets[p].has(q) !== meets[q].has(p)) violations.asymmetric++; // one pass serves both directions
        }
      }
      expect(violations).toEqual({ missed: 0, tooFar: 0, asymmetric: 0 });
      expect(comparisons(bands)).toBeLessThan(patches * patches);
    },
  );

  it('is every patch against every patch when exact, or when three bands cover the grid', () => {
    expect(patchBands(14, null)).toEqual({ bounds: [0, 196], reach: 0 });
    expect(patchBands(14, 0.5)).toEqual({ bounds: [0, 196], reach: 0 });
  });

  it('refuses a tolerance outside [0.02, 0.5] in plain words', () => {
    expect(() => patchBands(14, 0)).toThrow(MuscError);
    expect(() => patchBands(14, 0.8)).toThrow(/fraction of the image height between 0.02 and 0.5; got 0.8/);
  });
});
