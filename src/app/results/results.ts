// A scored batch as the gallery, the detail view and the exports see it: one row per image with
// its score, rank and verdict under the threshold in force. Pure, so the screen and the export
// are computed by the same code.
import type { BatchScores } from '../../worker/protocol.ts';
import type { BatchImage } from '../batch/types.ts';
import { autoThreshold, verdictOf, type AutoThreshold, type Verdict } from '../../engine/verdict/batchThreshold.ts';

export interface ImageResult {
  image: BatchImage;
  /** position in the batch (and in the worker's score arrays) */
  index: number;
  /** 1 = most anomalous */
  rank: number;
  score: number;
  /** max of the anomaly map, in feature-distance units */
  mapMax: number;
  verdict: Verdict;
}

export interface ThresholdInForce {
  value: number;
  mode: 'auto' | 'manual';
  auto: AutoThreshold;
  /**
   * Pixels hotter than this are outlined and exported as the mask: the highest map value of any
   * image judged normal (so normal images have no region), or the lowest image peak when every
   * image is anomalous.
   */
  pixel: number;
}

export interface BatchResults {
  rows: ImageResult[];
  threshold: ThresholdInForce;
  counts: { normal: number; anomalous: number };
}

export function buildResults(
  images: readonly BatchImage[],
  scores: BatchScores,
  manualThreshold: number | null,
): BatchResults {
  const auto = autoThreshold(scores.imageScores);
  const value = manualThreshold ?? auto.value;
  const rows = images
    .map((image, index) => ({ image, index, score: scores.imageScores[index], mapMax: scores.imageScoresRaw[index] }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((row, i) => ({ ...row, rank: i + 1, verdict: verdictOf(row.score, value) }));
  const normalPeaks = rows.filter((r) => r.verdict === 'normal').map((r) => r.mapMax);
  const pixel = normalPeaks.length ? Math.max(...normalPeaks) : Math.min(...rows.map((r) => r.mapMax));
  const anomalous = rows.filter((r) => r.verdict === 'anomalous').length;
  return {
    rows,
    threshold: { value, mode: manualThreshold === null ? 'auto' : 'manual', auto, pixel },
    counts: { normal: rows.length - anomalous, anomalous },
  };
}
