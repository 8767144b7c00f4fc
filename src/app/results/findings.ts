// An image's findings (engine findings/: its regions above its pixel threshold, at its own size,
// and the sentence), computed when first shown and kept with the scores they come from.
import { imageFindings, type ImageFindings } from '../../engine/findings/findings.ts';
import type { BatchScores } from '../../worker/protocol.ts';
import { anomalyMapOf } from '../heatmap/maps.ts';
import type { ImageResult } from './results.ts';

const cache = new WeakMap<BatchScores, Map<string, ImageFindings>>();

export function findingsOf(scores: BatchScores, row: ImageResult, normalLevel: number): ImageFindings {
  let byImage = cache.get(scores);
  if (!byImage) cache.set(scores, (byImage = new Map()));
  // The level moves with the verdicts (a manual threshold): it is part of the key.
  const key = `${row.index}/${normalLevel}`;
  let found = byImage.get(key);
  if (!found) {
    found = imageFindings({
      map: anomalyMapOf(scores, row.index),
      size: scores.mapSize,
      grid: scores.grid,
      width: row.image.width,
      height: row.image.height,
      normalLevel,
    });
    byImage.set(key, found);
  }
  return found;
}
