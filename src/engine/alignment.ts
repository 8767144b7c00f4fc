// The "aligned parts" shortcut (docs/method.md §6, README "Shortcuts"): when every part is
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
 * Patches [rowStart, rowEnd) of one image against patches [colStart, colEnd) of another. Row
 * ranges of a plan partition an image's patches; the column range is contiguous in row-major
 * patch order.
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
export function allPatches(patches: number): PatchBlock[] {
  return [{ rowStart: 0, rowEnd: patches, colStart: 0, colEnd: patches }];
}

/** Band height in grid rows for a tolerance: at least one row. */
export function bandRows(grid: number, tolerance: number): number {
  assertTolerance(tolerance);
  return Math.max(1, Math.round(tolerance * grid));
}

/** The blocks of a grid×grid image under a tolerance, or every patch when tolerance is null. */
export function comparisonBlocks(grid: number, tolerance: number | null): PatchBlock[] {
  if (tolerance === null) return allPatches(grid * grid);
  const height = bandRows(grid, tolerance);
  const bands = Math.ceil(grid / height);
  if (bands <= 2) return allPatches(grid * grid);
  const rowOf = (band: number): number => Math.min(grid, Math.max(0, band * height)) * grid;
  return Array.from({ length: bands }, (_, b) => ({
    rowStart: rowOf(b),
    rowEnd: rowOf(b + 1),
    colStart: rowOf(b - 1),
    colEnd: rowOf(b + 2),
  }));
}

/** Patch comparisons per image pair under a plan, for the cost ratio against exact (P²). */
export function comparisons(blocks: readonly PatchBlock[]): number {
  return blocks.reduce((sum, b) => sum + (b.rowEnd - b.rowStart) * (b.colEnd - b.colStart), 0);
}
