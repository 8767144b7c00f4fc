// Robust location and spread for the verdict rules: the median and 1.4826·MAD, the usual robust
// standard deviation (equal to σ for normally distributed data), so a few outliers (defective
// parts in a batch, one odd reference) move neither.

/** MAD → standard deviation for normally distributed data */
const MAD_TO_SIGMA = 1.4826;

/** Median of ascending values (the mean of the middle two for an even count). */
export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface RobustSpread {
  median: number;
  /** 1.4826·MAD */
  sigma: number;
  size: number;
}

export function robustSpread(values: readonly number[]): RobustSpread {
  const sorted = [...values].sort((a, b) => a - b);
  const center = median(sorted);
  const sigma = MAD_TO_SIGMA * median(sorted.map((v) => Math.abs(v - center)).sort((a, b) => a - b));
  return { median: center, sigma, size: sorted.length };
}
