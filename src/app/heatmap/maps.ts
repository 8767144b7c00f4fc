// Anomaly maps of a scored batch, upsampled on demand from the patch scores (the engine's
// bilinear, align_corners = true) and cached per image, and the colour ranges of the two
// normalisations (docs/method.md §7).
import { upsampleMap } from '../../engine/upsample.ts';
import type { BatchScores } from '../../worker/protocol.ts';

/** 'batch' = the reference's whole_norm (one range for all maps), 'image' = single_norm. */
export type MapNormalization = 'batch' | 'image';

export interface MapRange {
  min: number;
  max: number;
}

const cache = new WeakMap<BatchScores, Map<number, Float32Array>>();

export function anomalyMapOf(scores: BatchScores, n: number): Float32Array {
  let maps = cache.get(scores);
  if (!maps) cache.set(scores, (maps = new Map()));
  let map = maps.get(n);
  if (!map) {
    map = new Float32Array(scores.mapSize * scores.mapSize);
    upsampleMap(scores.patchScores, n * scores.grid * scores.grid, scores.grid, scores.mapSize, map);
    maps.set(n, map);
  }
  return map;
}

function minOf(values: Float64Array, from: number, to: number): number {
  let min = Infinity;
  for (let i = from; i < to; i++) if (values[i] < min) min = values[i];
  return min;
}

/**
 * Bilinear upsampling never leaves the grid's range, so the grid minimum bounds the map from below
 * and the raw image score (the map maximum) from above.
 */
export function mapRange(scores: BatchScores, n: number, normalization: MapNormalization): MapRange {
  const patches = scores.grid * scores.grid;
  if (normalization === 'image')
    return { min: minOf(scores.patchScores, n * patches, (n + 1) * patches), max: scores.imageScoresRaw[n] };
  return { min: minOf(scores.patchScores, 0, scores.patchScores.length), max: Math.max(...scores.imageScoresRaw) };
}
