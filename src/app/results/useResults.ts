import { useMemo } from 'react';
import { useBatchStore } from '../batch/batchStore.ts';
import { useUiStore } from '../store.ts';
import { buildResults, type BatchResults } from './results.ts';

/** The current batch's results under the threshold in force; null until the batch is scored. */
export function useResults(): BatchResults | null {
  const images = useBatchStore((s) => s.images);
  const scores = useBatchStore((s) => s.scores);
  const manualThreshold = useUiStore((s) => s.manualThreshold);
  return useMemo(
    () => (scores && scores.keys.length === images.length ? buildResults(images, scores, manualThreshold) : null),
    [images, scores, manualThreshold],
  );
}
