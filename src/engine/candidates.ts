// Which images score which (docs/method.md §6, §15): MSM scores each image against every other
// image; the "candidate images" shortcut puts the whole set in a seeded random ring and scores
// each image against the K images nearest it on the ring, K/2 on each side. The scorer relation
// is symmetric, so each of the N·K/2 pairs serves both of its images, and the windows overlap and
// slide: a large set is never cut into unrelated subsets. An image's place on the ring is a
// seeded hash of its number (ringKey), so an image added later takes its place without moving
// the others: a scoring session (session/) grows the same ring a whole batch gets at once.

/** The ring's seed: fixed, like the subsets' (subsets.ts), so a set scores the same everywhere. */
export const CANDIDATE_SEED = 42;

/**
 * Image n's place on the ring: murmur3's 32-bit finaliser of n mixed with the seed. The
 * finaliser is a bijection of 32-bit integers, so no two images share a place.
 */
export function ringKey(n: number, seed = CANDIDATE_SEED): number {
  let h = (n ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Scorers on each side of an image for k candidates (an odd k is rounded up), or null when they cover every other image. */
function ringHalf(images: number, k: number): number | null {
  const half = Math.ceil(k / 2);
  return 2 * half >= images - 1 ? null : half;
}

/**
 * The candidate scorers of each item on the ring of their keys (ringKey): the k/2 before and the
 * k/2 after it, nearest first. Null when they would be every other item.
 */
export function ringNeighbours<T>(items: readonly T[], keyOf: (item: T) => number, k: number): Map<T, T[]> | null {
  const half = ringHalf(items.length, k);
  if (half === null) return null;
  const ring = [...items].sort((a, b) => keyOf(a) - keyOf(b));
  const at = (t: number): T => ring[(t + ring.length) % ring.length];
  return new Map(
    ring.map((item, t) => [
      item,
      Array.from({ length: 2 * half }, (_, s) => (s < half ? at(t + 1 + s) : at(t - 1 - (s - half)))),
    ]),
  );
}

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

/** Candidate images: the set's ring order and the scorer plan over ring positions. */
export interface CandidateRing {
  /** order[t]: the image at ring position t, a seeded shuffle of the set */
  readonly order: Int32Array;
  /** position t scored by positions t ± 1 … t ± K/2 (wrapping round), as ringPlan */
  readonly plan: ScorerPlan;
}

/**
 * The ring of the candidate-images shortcut for k scorers per image (an odd k is rounded up):
 * images 0 … N−1 in the order of their ringKey, so the same set gets the same ring on every
 * machine; null when k covers every other image. k is checked by config.validateConfig.
 */
export function candidateRing(images: number, k: number, seed = CANDIDATE_SEED): CandidateRing | null {
  const half = ringHalf(images, k);
  if (half === null) return null;
  const keys = Array.from({ length: images }, (_, n) => ringKey(n, seed));
  const order = Int32Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b]);
  return { order, plan: ringPlan(images, half) };
}

/**
 * Positions 0 … N−1 on a ring, each scored by the `half` positions after it and the `half`
 * before it (2·half < N − 1). Partners are two runs of consecutive positions, so features laid out
 * in ring order reach the kernel without a copy. Slots 0 … half−1 hold the positions after t,
 * nearest first, then those before it.
 */
export function ringPlan(images: number, half: number): ScorerPlan {
  return {
    scorers: 2 * half,
    // t+1 … t+half, then (for t < half) the positions that wrap round: N−half+t … N−1
    partners: (t) => [
      ...Array.from({ length: Math.min(half, images - 1 - t) }, (_, d) => t + 1 + d),
      ...Array.from({ length: Math.max(0, half - t) }, (_, d) => images - half + t + d),
    ],
    slot: (t, u) => {
      const ahead = (u - t + images) % images;
      if (ahead >= 1 && ahead <= half) return ahead - 1;
      const behind = images - ahead;
      return behind >= 1 && behind <= half ? half + behind - 1 : -1;
    },
  };
}

/** Image-major data [N, size] put in ring order, in place: position t takes image order[t]. */
export function toRingOrder(data: Float32Array, order: Int32Array, size: number): void {
  const held = new Float32Array(size);
  const placed = new Uint8Array(order.length);
  for (let start = 0; start < order.length; start++) {
    if (placed[start]) continue;
    // follow the cycle through start: each position takes its image, the first one from `held`
    held.set(data.subarray(start * size, (start + 1) * size));
    let t = start;
    while (order[t] !== start) {
      data.copyWithin(t * size, order[t] * size, (order[t] + 1) * size);
      placed[t] = 1;
      t = order[t];
    }
    data.set(held, t * size);
    placed[t] = 1;
  }
}

/** Image-major scores [N, patches] from ring order back to the set's order. */
export function fromRingOrder(scores: Float64Array, order: Int32Array, patches: number): Float64Array {
  const out = new Float64Array(scores.length);
  order.forEach((image, t) => out.set(scores.subarray(t * patches, (t + 1) * patches), image * patches));
  return out;
}
