// Automatic capture: a part is placed (motion), then held still for a while, and the still scene
// is captured once. Pure, on small grey samples of the preview, so it is unit-tested without a
// camera and costs next to nothing per sample.

/** Mean absolute difference (0..255) between two grey samples above which the scene is moving. */
export const MOTION_LEVEL = 8;
/** How long the scene must stay still after motion before it is captured, in ms. */
export const STILL_MS = 1000;
/** Size of the grey samples the motion is measured on: small, so noise averages out and it is cheap. */
export const SAMPLE_WIDTH = 64;
export const SAMPLE_HEIGHT = 48;
/** Samples per second while the automatic mode is on. */
export const SAMPLE_FPS = 5;

/** Mean absolute difference of two grey samples of the same size, 0..255. */
export function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export interface StillnessOptions {
  level?: number;
  stillMs?: number;
}

/**
 * Feed it one grey sample at a time; it answers true when that sample should be captured.
 * The first still scene it sees is taken as the empty station: a still scene like it is never
 * captured (taking a part away is motion too, and the empty station must not be inspected).
 * After a capture (or after settling on the empty station) it waits for motion again, so the same
 * still scene is never captured twice.
 */
export function createStillnessDetector({ level = MOTION_LEVEL, stillMs = STILL_MS }: StillnessOptions = {}) {
  let previous: Uint8Array | null = null;
  let empty: Uint8Array | null = null;
  let stillSince: number | null = null;
  // Until the empty station is known, settling on it needs no motion first.
  let armed = true;
  return {
    step(sample: Uint8Array, now: number): boolean {
      const moving = previous === null || meanAbsDifference(sample, previous) > level;
      previous = sample;
      if (moving) {
        stillSince = null;
        armed = true;
        return false;
      }
      stillSince ??= now;
      if (!armed || now - stillSince < stillMs) return false;
      armed = false;
      if (empty === null) {
        empty = sample;
        return false;
      }
      return meanAbsDifference(sample, empty) > level;
    },
  };
}
