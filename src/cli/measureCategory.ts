// The metrics of a scored MVTec-layout category against its ground truth (docs/method.md §9):
// image AUROC, AP and F1-max from the labels, pixel metrics and AUPRO from the masks at S×S.
// Shared by `muscope eval` and the accuracy-versus-time bench, so both measure the same way.

import { evaluatePixels } from '../engine/metrics/evaluation.ts';
import { imageMetrics } from '../engine/metrics/ranking.ts';
import type { MaskRule } from '../engine/preprocess/mask.ts';
import type { ImageMetrics, PixelMetrics } from '../engine/types.ts';
import { decodeGray } from '../platform/node/decode.ts';
import type { ProgressReporter } from './progress.ts';
import type { ScoredCategory } from './scoreCategory.ts';

export interface CategoryMetrics {
  image: ImageMetrics;
  pixel: { metrics: PixelMetrics; excluded: string[] };
}

export async function measureCategory(
  { items, set }: Pick<ScoredCategory, 'items' | 'set'>,
  opts: { size: number; rule: MaskRule; excludeEmpty: boolean; progress: ProgressReporter },
): Promise<CategoryMetrics> {
  const image = imageMetrics(
    items.map((i) => (i.anomalous ? 1 : 0)),
    set.scores,
  );
  const maskPaths = items.map((i) => i.maskPath);
  const evaluated = await evaluatePixels({
    images: items.length,
    size: opts.size,
    map: (n, out) => set.map(n, out),
    mask: (n) => {
      const path = maskPaths[n];
      return path ? decodeGray(path) : null;
    },
    rule: opts.rule,
    excludeEmpty: opts.excludeEmpty,
    onProgress: (done, total) => opts.progress.update('pixel metrics', done, total),
  });
  return {
    image,
    pixel: { metrics: evaluated.metrics, excluded: evaluated.excluded.map((n) => maskPaths[n] as string) },
  };
}
