import { useMemo } from 'react';
import { useBatchStore } from '../batch/batchStore.ts';
import { useUiStore } from '../store.ts';
import { buildResults, type BatchResults } from './results.ts';

/**
 * The current batch's results under the threshold in force; null until some image of the batch
 * has a score (images added since the last scores are listed in `pending`).
 */
export function useResults(): BatchResults | null {
  const images = useBatchStore((s) => s.images);
  const scores = useBatchStore((s) => s.scores);
  const manualThreshold = useUiStore((s) => s.manualThreshold);
  return useMemo(() => {
    if (!scores) return null;
    const results = buildResults(images, scores, manualThreshold);
    return results.rows.length > 0 ? results : null;
  }, [images, scores, manualThreshold]);
}
