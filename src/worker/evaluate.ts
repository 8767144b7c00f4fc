// Evaluation against ground truth (MVTec layout): the engine's image and pixel metrics, the same
// code the CLI uses, plus the image-level ROC curve for the chart.
import { decodeGray } from '../platform/browser/decode.ts';
import { evaluatePixels } from '../engine/metrics/evaluation.ts';
import { imageMetrics } from '../engine/metrics/ranking.ts';
import { rocCurve } from '../engine/metrics/roc.ts';
import { upsampleMap } from '../engine/upsample.ts';
import type { CountProgress, Evaluation, EvaluationRequest } from './protocol.ts';

export async function evaluateBatch(
  request: EvaluationRequest,
  progress: (p: CountProgress) => void,
  signal: AbortSignal,
): Promise<Evaluation> {
  const { patchScores, grid, mapSize, imageScores, labels, masks } = request;
  const pixels = await evaluatePixels({
    images: masks.length,
    size: mapSize,
    map: (n, out) => (upsampleMap(patchScores, n * grid * grid, grid, mapSize, out), out),
    mask: (n) => {
      const mask = masks[n];
      return mask ? decodeGray(mask.blob, mask.name) : null;
    },
    // MVTec rule: masks resized bilinear and int-cast (docs/method.md §3).
    rule: 'int-cast',
    signal,
    onProgress: (done, total) => done > 0 && progress({ done, total }),
  });
  return { image: imageMetrics(labels, imageScores), pixel: pixels.metrics, roc: rocCurve(labels, imageScores) };
}
