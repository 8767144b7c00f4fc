// The "aligned parts" shortcut (docs/method.md §15, README "Shortcuts"): when every part is
// photographed in the same pose, a defect shows against the same place on the other parts, so a
// patch need not be compared with every patch of another image, only with those near its own row.
// The grid's rows are cut into bands of about `tolerance` × the grid's height; a band of one image
// is compared with the same band and its two neighbours in the other. The relation is symmetric at
// band level (band b meets band c exactly when |b − c| ≤ 1), so one similarity pass per block still
// serves both directions of a pair, and each patch is compared with every patch at least one band
// height above and below it. Mutual scoring costs about 3 × band height ÷ grid height of the exact
// cost.

import { MuscError } from './errors.ts';

/**
 * Which patches of two images meet: the patches (row-major) cut into bands at `bounds`
 * (bounds[0] = 0 … bounds[bands] = P), each band meeting the bands up to `reach` away.
 * Exact MSM is one band of every patch.
 */
export interface PatchBands {
  bounds: readonly number[];
  reach: number;
}

/**
 * Patches [rowStart, rowEnd) of one image against patches [colStart, colEnd) of another: one
 * band against the contiguous run of bands it meets.
 */
export interface PatchBlock {
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
}

/** Smallest and largest tolerance: below, a band is under one patch row on any grid in use. */
export const MIN_TOLERANCE = 0.02;
export const MAX_TOLERANCE = 0.5;

export function assertTolerance(tolerance: number): void {
  if (!Number.isFinite(tolerance) || tolerance < MIN_TOLERANCE || tolerance > MAX_TOLERANCE) {
    throw new MuscError(
      'invalid-config',
      `The aligned-parts tolerance is a fraction of the image height between ${MIN_TOLERANCE} and ${MAX_TOLERANCE}; got ${tolerance}. ` +
        'Use for example 0.1, or score exactly (no tolerance) when parts are not photographed in the same pose.',
    );
  }
}

/** Every patch against every patch: exact MSM. */
export function allPatches(patches: number): PatchBands {
  return { bounds: [0, patches], reach: 0 };
}

export const isExact = (bands: PatchBands): boolean => bands.bounds.length === 2;

/** Band height in grid rows for a tolerance: at least one row. */
export function bandRows(grid: number, tolerance: number): number {
  assertTolerance(tolerance);
  return Math.max(1, Math.round(tolerance * grid));
}

/** The bands of a grid×grid image under a tolerance (each meets its neighbours), or every patch when tolerance is null. */
export function patchBands(grid: number, tolerance: number | null): PatchBands {
  if (tolerance === null) return allPatches(grid * grid);
  const height = bandRows(grid, tolerance);
  const bands = Math.ceil(grid / height);
  if (bands <= 2) return allPatches(grid * grid);
  return { bounds: Array.from({ length: bands + 1 }, (_, b) => Math.min(grid, b * height) * grid), reach: 1 };
}

/** Bands [first, last] that band b meets. */
export function bandsMet({ bounds, reach }: PatchBands, b: number): [number, number] {
  return [Math.max(0, b - reach), Math.min(bounds.length - 2, b + reach)];
}

/** Each band against the bands it meets, as patch ranges. */
export function patchBlocks(bands: PatchBands): PatchBlock[] {
  const { bounds } = bands;
  return bounds.slice(1).map((rowEnd, b) => {
    const [first, last] = bandsMet(bands, b);
    return { rowStart: bounds[b], rowEnd, colStart: bounds[first], colEnd: bounds[last + 1] };
  });
}

/** Patch comparisons per image pair, for the cost against exact (P²). */
export function comparisons(bands: PatchBands): number {
  return patchBlocks(bands).reduce((sum, b) => sum + (b.rowEnd - b.rowStart) * (b.colEnd - b.colStart), 0);
}
