// AUROC, average precision and F1-max exactly as sklearn computes them (roc_auc_score,
// average_precision_score, precision_recall_curve), ties included: one operating point per
// distinct score, walked from the highest score down over the two sorted classes.

import type { ImageMetrics } from '../types.ts';

type Scores = Float32Array | Float64Array;

/** One class only: every metric is undefined. */
const NO_METRICS: ImageMetrics = { auroc: null, ap: null, f1Max: null };

/** Metrics from the scores of the positives and of the negatives, each sorted ascending. */
export function rankingMetrics(positives: Scores, negatives: Scores): ImageMetrics {
  const totalPos = positives.length;
  const totalNeg = negatives.length;
  if (totalPos === 0 || totalNeg === 0) return { ...NO_METRICS };
  let ip = totalPos - 1;
  let ineg = totalNeg - 1;
  let tp = 0;
  let fp = 0;
  let areaTwice = 0; // trapezoids in (fp, tp) counts, scaled once at the end
  let ap = 0;
  let f1Max = 0; // the curve's closing point (precision 1, recall 0) has F1 = 0
  let prevRecall = 0;
  while (ip >= 0 || ineg >= 0) {
    const threshold = Math.max(ip >= 0 ? positives[ip] : -Infinity, ineg >= 0 ? negatives[ineg] : -Infinity);
    const prevTp = tp;
    const prevFp = fp;
    while (ip >= 0 && positives[ip] === threshold) {
      tp++;
      ip--;
    }
    while (ineg >= 0 && negatives[ineg] === threshold) {
      fp++;
      ineg--;
    }
    areaTwice += (fp - prevFp) * (tp + prevTp);
    const precision = tp / (tp + fp);
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    if (precision + recall > 0) f1Max = Math.max(f1Max, (2 * precision * recall) / (precision + recall));
  }
  return { auroc: areaTwice / (2 * totalPos * totalNeg), ap, f1Max };
}

/** Image-level metrics from labels (non-zero = anomalous) and scores; null (undefined) with one class only. */
export function imageMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>): ImageMetrics {
  if (labels.length !== scores.length) throw new RangeError(`${labels.length} labels for ${scores.length} scores`);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] ? pos : neg).push(scores[i]);
  return rankingMetrics(Float64Array.from(pos).sort(), Float64Array.from(neg).sort());
}
