// Who scores whom in a scoring session. Mutual scoring (MuSc) scores every image against every
// other one; with known-good references a query is scored against the references alone by
// default, so its score depends on nothing but the image and the references, and each
// reference is scored against the other references (leave one out) to calibrate the threshold.

import { MIN_IMAGES, scorerWindow, type RankInterval } from '../config.ts';

export type ImageRole = 'reference' | 'query';

/**
 * 'references': with references present, a query is scored by the references only (stable
 * verdicts); without references every image scores every other (MuSc).
 * 'all': every image kept scores every other, references included (verdicts move with the batch).
 */
export type ScorerPolicy = 'references' | 'all';

/** How the images actually present are being scored. */
export type ScoringMode = 'references' | 'mutual';

export interface Member {
  readonly handle: number;
  readonly role: ImageRole;
}

export function scoringMode(policy: ScorerPolicy, members: readonly Member[]): ScoringMode {
  return policy === 'references' && members.some((m) => m.role === 'reference') ? 'references' : 'mutual';
}

/** The members that score `member` (never itself). */
export function scorersOf(member: Member, members: readonly Member[], mode: ScoringMode): Member[] {
  return members.filter((m) => m !== member && (mode === 'mutual' || m.role === 'reference'));
}

/**
 * The rank interval over `scorers` nearest-patch distances, or null while there are too few.
 * Mutual scoring keeps MuSc's rule: at least MIN_IMAGES images unless forced, and the interval
 * (default [0, 0.3)) of the N−1 others. Against references any count works: k = max(1,
 * floor(0.3·M)) of the M references, the rule MuSc-V2 uses for few scorers.
 */
export function windowFor(
  scorers: number,
  mode: ScoringMode,
  interval: readonly [number, number],
  forceSmallBatch: boolean,
): (RankInterval & { forced: boolean }) | null {
  if (scorers < 1) return null;
  if (mode === 'references') return { ...scorerWindow(scorers + 1, interval, true), forced: false };
  if (scorers + 1 < MIN_IMAGES && !forceSmallBatch) return null;
  return scorerWindow(scorers + 1, interval, forceSmallBatch);
}
