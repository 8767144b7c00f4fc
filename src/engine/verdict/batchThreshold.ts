// The automatic verdict rule. MuSc's final scores are min-max normalised within the batch
// (docs: README, "Verdicts"): they rank images but carry no absolute threshold, and the share of defective
// images is unknown (a production batch may have none, MVTec's test sets are mostly defective).
// So the rule looks for a gap in the batch's own scores:
//   1. Otsu's split: the cut between sorted scores that maximises the between-group variance.
//   2. The split is real only if the upper group stands clearly apart: its lowest score lies
//      more than OUTLIER_Z robust standard deviations (1.4826·MAD, the usual robust z) above the
//      lower group's median, and the lower group has at least MIN_NORMAL_GROUP images so that its
//      spread means something. Unimodal batches (all good parts) fail this test.
//   3. Then the lower group is the normal reference and every image more than OUTLIER_Z robust
//      standard deviations above its median is anomalous (this also catches milder defects that
//      Otsu left in the lower group). Without a real split no image is flagged.
// Every number is shown in the UI next to the rule.

import { robustSpread, type RobustSpread } from './robust.ts';

export const OUTLIER_Z = 3;
export const MIN_NORMAL_GROUP = 3;
/** The rule in one sentence, for the UI and the exported JSON. */
export const THRESHOLD_RULE = `Otsu split of the final scores; if the upper group lies more than ${OUTLIER_Z} robust SD (1.4826·MAD) above the lower group's median (lower group of at least ${MIN_NORMAL_GROUP} images), every image more than ${OUTLIER_Z} robust SD above that median is anomalous; otherwise none is.`;

export interface AutoThreshold {
  /** an image is anomalous when its final score is strictly above this */
  value: number;
  /** whether a clearly separated upper group was found */
  split: boolean;
  /** the lower group's median and robust standard deviation (null without a candidate split) */
  reference: RobustSpread | null;
}

/** Index i such that sorted[0..i) | sorted[i..) maximises the between-group variance; 0 if constant. */
export function otsuCut(sorted: readonly number[]): number {
  const n = sorted.length;
  const total = sorted.reduce((a, b) => a + b, 0);
  let best = 0;
  let bestVariance = 0;
  let lowerSum = 0;
  for (let i = 1; i < n; i++) {
    lowerSum += sorted[i - 1];
    if (sorted[i] === sorted[i - 1]) continue; // a cut must separate distinct scores
    const meanLow = lowerSum / i;
    const meanHigh = (total - lowerSum) / (n - i);
    const variance = (i / n) * ((n - i) / n) * (meanHigh - meanLow) ** 2;
    if (variance > bestVariance) [best, bestVariance] = [i, variance];
  }
  return best;
}

export function autoThreshold(scores: ArrayLike<number>): AutoThreshold {
  const sorted = Array.from(scores).sort((a, b) => a - b);
  const top = sorted.length ? sorted[sorted.length - 1] : 0;
  const cut = otsuCut(sorted);
  if (cut === 0) return { value: top, split: false, reference: null };
  const lower = sorted.slice(0, cut);
  const reference = robustSpread(lower);
  const bound = reference.median + OUTLIER_Z * reference.sigma;
  if (lower.length < MIN_NORMAL_GROUP || sorted[cut] <= bound) return { value: top, split: false, reference };
  return { value: bound, split: true, reference };
}

/** 'not-comparable': screened out of the batch (docs/method.md §19), so no threshold judges it. */
export type Verdict = 'normal' | 'anomalous' | 'not-comparable';

export function verdictOf(score: number, threshold: number): 'normal' | 'anomalous' {
  return score > threshold ? 'anomalous' : 'normal';
}
