// What screening (screen.ts) says of each image, as the verdicts, the page, the exports and the CLI
// use it: the values a group of near-duplicates gives the verdict statistics, the score shown for an
// image that is not comparable, and the words on its card (docs/method.md §19).

import { median } from '../verdict/robust.ts';
import { NOT_COMPARABLE_RATIO, type NotComparableReason } from './screen.ts';

export interface ScreeningNote {
  /** the first other image of its near-duplicate group; null without one */
  duplicateOf: string | null;
  /** its near-duplicate group, named by the group's first image (its own id without duplicates) */
  group: string;
  /** its usual nearest distance over the batch's median; null when not measured */
  farness: number | null;
  /** why it is not comparable (kept out of the normalisation and the verdict statistics); null when it is */
  notComparable: NotComparableReason | null;
}

/** An image nothing was screened against: its own group, comparable. */
export const unscreened = (id: string): ScreeningNote => ({
  duplicateOf: null,
  group: id,
  farness: null,
  notComparable: null,
});

/** Each near-duplicate group of comparable images, by its name, with the median of its members' scores. */
export function groupValues(scores: readonly number[], notes: readonly ScreeningNote[]): Map<string, number> {
  const groups = new Map<string, number[]>();
  notes.forEach((note, i) => {
    if (!note.notComparable) groups.set(note.group, [...(groups.get(note.group) ?? []), scores[i]]);
  });
  return new Map([...groups].map(([group, values]) => [group, median(values.sort((a, b) => a - b))]));
}

/**
 * The values a verdict rule takes its statistics from: one per near-duplicate group of comparable
 * images (the median of its members' scores), in the order of the groups' first members.
 */
export function statisticsValues(scores: readonly number[], notes: readonly ScreeningNote[]): number[] {
  return [...groupValues(scores, notes).values()];
}

/**
 * The score a comparable image's verdict is taken on: its group's median, so the near-duplicates
 * of one part share one verdict (its own score when it has no duplicate).
 */
export function verdictScores(scores: readonly number[], notes: readonly ScreeningNote[]): number[] {
  const values = groupValues(scores, notes);
  return notes.map((note, i) => values.get(note.group) ?? scores[i]);
}

/**
 * A not-comparable image's place on the batch-relative scale it was kept out of: its raw score
 * min-max normalised over the comparable images' raw scores, clamped to [0, 1].
 */
export function scoreOutsideBatch(raw: number, comparableRaw: readonly number[]): number {
  const low = Math.min(...comparableRaw);
  const high = Math.max(...comparableRaw);
  if (!(high > low)) return raw > high ? 1 : 0;
  return Math.min(1, Math.max(0, (raw - low) / (high - low)));
}

/** The card's words: "near-duplicate of good_010.png" or why it is not comparable; null when neither applies. */
export function screeningText(note: ScreeningNote, nameOf: (id: string) => string): string | null {
  if (note.notComparable === 'unlike the others')
    return `not comparable: its usual nearest distance to the others is ${(note.farness ?? 0).toFixed(1)}× the batch's median (over ${NOT_COMPARABLE_RATIO}×)`;
  if (note.notComparable) return `not comparable: ${note.notComparable}`;
  return note.duplicateOf === null ? null : `near-duplicate of ${nameOf(note.duplicateOf)}`;
}
