// Splitting a large set into scoring subsets of at most `maxBatch` images (the reference's
// divide_num, musc.md §7, without its label leakage). The reference shuffles *within each
// ground-truth folder* and deals the folders out evenly, so every subset gets the same mix of
// defect types — information an unlabeled user never has. Here the whole set is shuffled with a
// fixed seed (42, as the reference) and dealt round-robin into ceil(N / maxBatch) subsets, whose
// sizes differ by at most one; no label, folder or file name is looked at.

import { seededRandom } from '../engine/random.ts';

export const SPLIT_SEED = 42;

/** Image indices per subset, each list ascending; one subset holding everything when count ≤ maxBatch. */
export function splitIntoSubsets(count: number, maxBatch: number, seed = SPLIT_SEED): number[][] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= maxBatch) return [all];
  const random = seededRandom(seed); // reproducible across runs and machines
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const subsets = Math.ceil(count / maxBatch);
  const out: number[][] = Array.from({ length: subsets }, () => []);
  all.forEach((index, position) => out[position % subsets].push(index));
  return out.map((s) => s.sort((a, b) => a - b));
}
