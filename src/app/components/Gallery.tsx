import { useBatchStore } from '../batch/batchStore.ts';
import type { BatchResults } from '../results/results.ts';
import { useUiStore } from '../store.ts';
import { PendingCard } from './PendingCard.tsx';
import { ResultCard } from './ResultCard.tsx';

/** Scored images, most anomalous first; or the batch's images while they wait for a score. */
export function Gallery({ results }: { results: BatchResults | null }) {
  const images = useBatchStore((s) => s.images);
  const scores = useBatchStore((s) => s.scores);
  const focusedKey = useUiStore((s) => s.focusedKey);
  const openImage = useUiStore((s) => s.openImage);
  const focusImage = useUiStore((s) => s.focusImage);
  if (!results || !scores) {
    return (
      <div className="gallery" aria-label="Images waiting to be scored">
        {images.map((image) => (
          <PendingCard key={image.key} image={image} />
        ))}
      </div>
    );
  }
  return (
    <div className="gallery" aria-label="Results, most anomalous first">
      {results.rows.map((row) => (
        <ResultCard
          key={row.image.key}
          row={row}
          scores={scores}
          pixelThreshold={results.threshold.pixel}
          threshold={results.threshold.value}
          focused={row.image.key === focusedKey}
          onOpen={() => openImage(row.image.key)}
          onFocus={() => focusImage(row.image.key)}
        />
      ))}
    </div>
  );
}
