// Which images score which (docs/method.md §6, §15): MSM scores each image against every other
// image; the "candidate images" shortcut scores it against K images drawn at random from the whole
// set, so N images cost about N·K pairs instead of N(N−1)/2 and a large set need not be cut into
// unrelated subsets. A pair is computed once when either image drew the other, and each direction
// is kept only where it was drawn.

import { seededRandom } from './random.ts';

/** The draw's seed: fixed, like the subsets' (subsets.ts), so a set scores the same everywhere. */
export const CANDIDATE_SEED = 42;

export interface ScorerPlan {
  /** scorers per image: the same for every image, so one rank interval applies */
  readonly scorers: number;
  /** the images j > i whose pair with i is computed, ascending */
  partners(i: number): readonly number[];
  /** j's place among image i's scorers, or −1 when j does not score i */
  slot(i: number, j: number): number;
}

/** Exact MSM: every other image scores each image (slot of j is j, skipping i). */
export function everyOtherImage(images: number): ScorerPlan {
  return {
    scorers: images - 1,
    partners: (i) => Array.from({ length: images - 1 - i }, (_, t) => i + 1 + t),
    slot: (i, j) => (j < i ? j : j - 1),
  };
}

/**
 * Each image scored by k other images drawn at random from the whole set (seeded, so the same set
 * gets the same draw on every machine). With k ≥ N − 1 that is every other image. k is checked by
 * config.validateConfig.
 */
export function candidateImages(images: number, k: number, seed = CANDIDATE_SEED): ScorerPlan {
  if (k >= images - 1) return everyOtherImage(images);
  const random = seededRandom(seed);
  // chosen[i]: image i's scorers in slot order, a partial Fisher–Yates draw from the others
  const chosen = Array.from({ length: images }, (_, i) => {
    const others = Array.from({ length: images - 1 }, (_, t) => (t < i ? t : t + 1));
    for (let t = 0; t < k; t++) {
      const pick = t + Math.floor(random() * (others.length - t));
      [others[t], others[pick]] = [others[pick], others[t]];
    }
    return others.slice(0, k);
  });
  const slots = chosen.map((list) => new Map(list.map((j, slot) => [j, slot])));
  const partners = chosen.map(() => new Set<number>());
  chosen.forEach((list, i) => list.forEach((j) => partners[Math.min(i, j)].add(Math.max(i, j))));
  const sorted = partners.map((set) => [...set].sort((a, b) => a - b));
  return { scorers: k, partners: (i) => sorted[i], slot: (i, j) => slots[i].get(j) ?? -1 };
}
