// Evaluation against ground truth (MVTec layout): the engine's image and pixel metrics, the same
// code the CLI uses, plus the image-level ROC curve for the chart.
import { decodeGray } from '../platform/browser/decode.ts';
import { throwIfAborted } from '../engine/errors.ts';
import { PixelMetricsAccumulator } from '../engine/metrics/pixelMetrics.ts';
import { imageMetrics } from '../engine/metrics/ranking.ts';
import { preprocessMask } from '../engine/preprocess/index.ts';
import { upsampleMap } from '../engine/upsample.ts';
import type { CountProgress, Evaluation, EvaluationRequest, RocCurve } from './protocol.ts';

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

export async function evaluateBatch(request: EvaluationRequest, progress: (p: CountProgress) => void, signal: AbortSignal): Promise<Evaluation> {
  const { patchScores, grid, mapSize, imageScores, labels, masks } = request;
  const pixels = new PixelMetricsAccumulator(mapSize, mapSize, labels.length);
  const map = new Float64Array(mapSize * mapSize);
  const empty = new Uint8Array(mapSize * mapSize);
  for (const [n, mask] of masks.entries()) {
    throwIfAborted(signal);
    upsampleMap(patchScores, n * grid * grid, grid, mapSize, map);
    // MVTec rule: masks resized bilinear and int-cast (musc.md §1.2).
    pixels.add(map, mask ? preprocessMask(await decodeGray(mask.blob, mask.name), mapSize, 'int-cast') : empty);
    progress({ done: n + 1, total: masks.length });
  }
  return { image: imageMetrics(labels, imageScores), pixel: pixels.finish(), roc: rocCurve(labels, imageScores) };
}
