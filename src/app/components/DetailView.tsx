import { useBatchStore } from '../batch/batchStore.ts';
import { formatDistance, formatScore } from '../results/format.ts';
import { VERDICT_TEXT, type BatchResults } from '../results/results.ts';
import { useUiStore } from '../store.ts';
import { OverlayCanvas } from './OverlayCanvas.tsx';
import { FindingsPanel } from './FindingsPanel.tsx';
import { ViewControls } from './ViewControls.tsx';
import { ZoomPan } from './ZoomPan.tsx';

const FULL_SIDE = 2048;

/** One image large: heatmap overlay with zoom and pan, its numbers, and the view controls. */
export function DetailView({ results }: { results: BatchResults }) {
  const scores = useBatchStore((s) => s.scores);
  const openKey = useUiStore((s) => s.openKey);
  const openImage = useUiStore((s) => s.openImage);
  const at = results.rows.findIndex((r) => r.image.key === openKey);
  const row = results.rows[at];
  if (!row || !scores) return null;
  const go = (step: number) =>
    openImage(results.rows[(at + step + results.rows.length) % results.rows.length].image.key);
  const { image, score, verdict, rank, mapMax } = row;
  const reference = row.role === 'reference';
  const { value, mode } = results.threshold;
  return (
    <div className="detail" role="dialog" aria-modal="true" aria-label={`Detail of ${image.name}`} data-testid="detail">
      <header className="detail-head">
        <button type="button" onClick={() => go(-1)} aria-label="Previous image">
          ←
        </button>
        <h2>
          <span className="rank">
            {reference ? 'ref ' : '#'}
            {rank}
          </span>{' '}
          {image.name}
        </h2>
        <span className={`verdict verdict-${verdict}`}>{VERDICT_TEXT[verdict]}</span>
        {row.screeningText && (
          <span className="screening" data-testid="detail-screening">
            {row.screeningText}
          </span>
        )}
        <span className="score-big">{formatScore(score)}</span>
        <button type="button" onClick={() => go(1)} aria-label="Next image">
          →
        </button>
        <div className="spacer" />
        <span className="muted">← → browse · Esc closes</span>
        <button type="button" className="close" onClick={() => openImage(null)} aria-label="Close the detail view">
          ✕
        </button>
      </header>
      <div className="detail-body">
        <ZoomPan key={image.key}>
          <OverlayCanvas
            blob={image.blob}
            scores={scores}
            index={row.index}
            maxSide={FULL_SIDE}
            outlineAbove={row.pixelThreshold}
            className="detail-canvas"
          />
        </ZoomPan>
        <aside className="detail-side">
          <dl className="facts">
            <dt>Score</dt>
            <dd>
              {formatScore(score)}{' '}
              {reference
                ? `(known-good reference ${rank} of ${results.references.length}, scored against the others)`
                : `(rank ${rank} of ${results.findings.length})`}
            </dd>
            <dt>Threshold</dt>
            <dd>{value === null ? 'none yet (no verdicts)' : `${formatScore(value)} (${mode})`}</dd>
            <dt>Map peak</dt>
            <dd>{formatDistance(mapMax)}</dd>
            <dt>Outline above</dt>
            <dd>{formatDistance(row.pixelThreshold)}</dd>
            <dt>Size</dt>
            <dd>
              {image.width}×{image.height} px
            </dd>
            {image.truth && (
              <>
                <dt>Ground truth</dt>
                <dd>{image.truth.anomalous ? `defective (${image.truth.defect})` : 'good'}</dd>
              </>
            )}
          </dl>
          {!reference && <FindingsPanel results={results} row={row} scores={scores} />}
          <p className="help">
            The outline marks this image&apos;s regions (its findings above). Maps cover the image squashed to{' '}
            {scores.mapSize}×{scores.mapSize}, stretched back to its shape.
          </p>
          <ViewControls />
        </aside>
      </div>
    </div>
  );
}
