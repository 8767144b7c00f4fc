// Which images score which (docs/method.md §6, §15): MSM scores each image against every other
// image; the "candidate images" shortcut scores it against only the K images most similar to it
// by the model's image embedding (the one RsCIN uses), so N images cost about N·K pairs instead of
// N(N−1)/2 and a large set need not be cut into unrelated subsets. A pair is computed once when
// either image chose the other, and each direction is kept only where it was chosen.

import { MuscError } from './errors.ts';

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

/** Cosine similarity of unit-normalised embeddings [N, E] (float64). */
function cosines(embeddings: Float32Array, images: number, dim: number): Float64Array {
  const norms = Float64Array.from({ length: images }, (_, n) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += embeddings[n * dim + d] ** 2;
    return Math.sqrt(s) || 1;
  });
  const out = new Float64Array(images * images);
  for (let i = 0; i < images; i++)
    for (let j = i; j < images; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += embeddings[i * dim + d] * embeddings[j * dim + d];
      out[i * images + j] = out[j * images + i] = s / (norms[i] * norms[j]);
    }
  return out;
}

/**
 * Each image scored by its k most similar other images by embedding (ties: the lower index).
 * With k ≥ N − 1 that is every other image. k is checked by config.validateConfig.
 */
export function candidateImages(embeddings: Float32Array | null, images: number, dim: number, k: number): ScorerPlan {
  if (k >= images - 1) return everyOtherImage(images);
  if (!embeddings)
    throw new MuscError(
      'invalid-config',
      'Candidate images are chosen by the model’s image embedding, and this model gives none. Score every image against every other (no candidates).',
    );
  const similarity = cosines(embeddings, images, dim);
  // chosen[i]: image i's scorers in slot order (most similar first)
  const chosen = Array.from({ length: images }, (_, i) =>
    Array.from({ length: images }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => similarity[i * images + b] - similarity[i * images + a] || a - b)
      .slice(0, k),
  );
  const slots = chosen.map((list) => new Map(list.map((j, s) => [j, s])));
  const partners = chosen.map(() => new Set<number>());
  chosen.forEach((list, i) => list.forEach((j) => partners[Math.min(i, j)].add(Math.max(i, j))));
  const sorted = partners.map((set) => [...set].sort((a, b) => a - b));
  return { scorers: k, partners: (i) => sorted[i], slot: (i, j) => slots[i].get(j) ?? -1 };
}
