import type { ModelManifest } from '../../encoders/manifest.ts';
import { useBatchStore } from '../batch/batchStore.ts';
import type { BatchImage } from '../batch/types.ts';
import type { BatchResults } from '../results/results.ts';
import { focusCard } from '../results/useKeyboardNavigation.ts';
import { removeImages, setRole } from '../run/controller.ts';
import { useUiStore } from '../store.ts';
import type { CardActionProps } from './CardActions.tsx';
import { PendingCard } from './PendingCard.tsx';
import { ResultCard } from './ResultCard.tsx';

interface Props {
  results: BatchResults | null;
  manifest: ModelManifest | undefined;
}

const isReference = (image: BatchImage) => image.role === 'reference';

/**
 * The findings, most anomalous first, then images waiting for a score, then the known-good
 * references in a section of their own: they score the others and are never findings.
 */
export function Gallery({ results, manifest }: Props) {
  const images = useBatchStore((s) => s.images);
  const scores = useBatchStore((s) => s.scores);
  const focusedKey = useUiStore((s) => s.focusedKey);
  const openImage = useUiStore((s) => s.openImage);
  const focusImage = useUiStore((s) => s.focusImage);

  const pending = results && scores ? results.pending : images;
  const pendingQueries = pending.filter((i) => !isReference(i));
  const pendingReferences = pending.filter(isReference);
  const findings = results?.findings ?? [];
  const references = results?.references ?? [];
  // The gallery's order, so that focus can move on to the next card after a removal.
  const order = [
    ...findings.map((r) => r.image),
    ...pendingQueries,
    ...references.map((r) => r.image),
    ...pendingReferences,
  ].map((i) => i.key);

  const actions = (image: BatchImage): CardActionProps => ({
    name: image.name,
    reference: isReference(image),
    onToggleReference: () => setRole(image.key, isReference(image) ? 'query' : 'reference', manifest),
    onRemove: () => {
      const at = order.indexOf(image.key);
      const next = order[at + 1] ?? order[at - 1];
      removeImages([image.key], manifest);
      if (next && document.activeElement?.closest('.gallery')) {
        focusImage(next);
        requestAnimationFrame(() => focusCard(next));
      }
    },
  });

  const cards = (rows: BatchResults['rows'], waiting: BatchImage[]) => (
    <>
      {results &&
        scores &&
        rows.map((row) => (
          <ResultCard
            key={row.image.key}
            row={row}
            scores={scores}
            threshold={results.threshold.value}
            normalLevel={results.threshold.pixel.value}
            range={results.range}
            focused={row.image.key === focusedKey}
            onOpen={() => openImage(row.image.key)}
            onFocus={() => focusImage(row.image.key)}
            actions={actions(row.image)}
          />
        ))}
      {waiting.map((image) => (
        <PendingCard key={image.key} image={image} actions={actions(image)} />
      ))}
    </>
  );

  const referenceCount = references.length + pendingReferences.length;
  return (
    <>
      {findings.length + pendingQueries.length > 0 ? (
        <div
          className="gallery"
          aria-label={results ? 'Results, most anomalous first' : 'Images waiting to be scored'}
          data-testid="findings"
        >
          {cards(findings, pendingQueries)}
        </div>
      ) : (
        <p className="muted">
          Every image is marked known good. Add the images to inspect: they will be scored against these references.
        </p>
      )}
      {referenceCount > 0 && (
        <section className="references" aria-label="Known-good references" data-testid="references">
          <h2>Known-good references ({referenceCount})</h2>
          <p className="help">
            These parts are known to be good: the other images are scored against them, and they are never findings.
            Each one's own score is against the other references.
          </p>
          <div className="gallery">{cards(references, pendingReferences)}</div>
        </section>
      )}
    </>
  );
}
