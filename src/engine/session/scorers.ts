// Who scores whom in a scoring session. Mutual scoring (MuSc) scores every image against every
// other one (or, with candidate images, against its neighbours on a ring); with known-good
// references a query is scored against the references alone by default, so its score depends on
// nothing but the image and the references, and each reference is scored against the other
// references (leave one out) to calibrate the threshold. Screening (docs/method.md §19) then
// merges near-duplicates into one scorer and drops images that are not comparable (scorerGroups).

import { ringKey, ringNeighbours } from '../candidates.ts';
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
export function scorersOf<M extends Member>(member: M, members: readonly M[], mode: ScoringMode): M[] {
  return members.filter((m) => m !== member && (mode === 'mutual' || m.role === 'reference'));
}

/**
 * Each member's scorers: scorersOf, except that mutual scoring with `candidates` scores each
 * member by its neighbours on the candidate ring (engine candidates.ts, placed by handle), so
 * adding or removing a member changes the scorers of the k members around it only.
 */
export function scorerLists<M extends Member>(
  members: readonly M[],
  mode: ScoringMode,
  candidates: number | null,
): (member: M) => M[] {
  const ring =
    mode === 'mutual' && candidates !== null ? ringNeighbours(members, (m) => ringKey(m.handle), candidates) : null;
  return (member) => ring?.get(member) ?? scorersOf(member, members, mode);
}

/** What screening (engine screening/screen.ts) says of one member. */
export interface ScreenedMember {
  /** its near-duplicate group */
  group: number;
  /** set when it is not comparable (screen.ts), which keeps it from scoring any image */
  notComparable: string | null;
}

/**
 * The scorers of `member` (scorerLists) as groups that each count as one scorer (docs/method.md
 * §19): its own near-duplicates never score it, the other near-duplicate groups score it as one,
 * and an image that is not comparable scores no one. Groups are in the order of their first member.
 */
export function scorerGroups<M extends Member>(
  member: M,
  scorers: readonly M[],
  screened: (m: M) => ScreenedMember | null,
): M[][] {
  const own = screened(member)?.group;
  const groups = new Map<number | M, M[]>();
  for (const scorer of scorers) {
    const s = screened(scorer);
    if (s?.notComparable || (s && s.group === own)) continue;
    const key = s ? s.group : scorer;
    groups.set(key, [...(groups.get(key) ?? []), scorer]);
  }
  return [...groups.values()];
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
