// The one place numbers become text, so the screen and the exported files always agree.

/** Final image scores lie in [0, 1] and are batch-relative; three decimals separate them. */
export function formatScore(score: number): string {
  return score.toFixed(3);
}

/** Raw map values are feature distances (about 0 to 2). */
export function formatDistance(value: number): string {
  return value.toFixed(4);
}

/** Metrics as percentages with one decimal, the way MuSc's README reports them. */
/** A metric in %, or "undefined" where it is (one class only: nothing to rank). */
export function formatMetric(value: number | null): string {
  return value === null ? 'undefined' : (100 * value).toFixed(1);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
