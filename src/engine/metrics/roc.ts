// The image-level ROC curve for the page's chart: one operating point per distinct score, the
// same walk as ranking.ts's AUROC, so the curve's area is the AUROC the page shows.

export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

/** ROC operating points, one per distinct score from the highest down (ties move diagonally). */
export function rocCurve(labels: readonly number[], scores: ArrayLike<number>): RocCurve {
  const order = labels.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  order.forEach((i, rank) => {
    if (labels[i]) tp++;
    else fp++;
    const next = order[rank + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(negatives ? fp / negatives : 0);
      tpr.push(positives ? tp / positives : 0);
    }
  });
  return { fpr, tpr };
}
