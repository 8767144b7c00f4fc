import { useEffect } from 'react';
import { useBatchStore } from '../batch/batchStore.ts';
import { OverlayCanvas } from '../components/OverlayCanvas.tsx';
import { formatScore } from '../results/format.ts';
import type { BatchResults, ImageResult } from '../results/results.ts';
import { useCaptureStore, type Capture } from './captureStore.ts';

/** What a capture shows: a result row's verdict, or why it has none yet. */
type CaptureVerdict = ImageResult['verdict'] | 'pending' | 'skipped';

const BIG_TEXT: Record<CaptureVerdict, string> = {
  normal: 'OK',
  anomalous: 'NG',
  unjudged: 'No verdict',
  'not-comparable': 'Not comparable',
  reference: 'Known good',
  pending: 'Scoring…',
  skipped: 'Skipped',
};

function stateOf(capture: Capture, results: BatchResults | null, skipped: ReadonlySet<string>) {
  const row = results?.rows.find((r) => r.image.path === capture.name) ?? null;
  const verdict: CaptureVerdict = row ? row.verdict : skipped.has(capture.name) ? 'skipped' : 'pending';
  return { row, verdict };
}

/**
 * The newest capture's verdict, large (OK / NG with its score), its heatmap over the captured
 * frame, and the tally of this page's captures. Verdicts follow the threshold in force, so they
 * are read from the batch results each time rather than stored.
 */
export function LatestVerdict({ results }: { results: BatchResults | null }) {
  const captures = useCaptureStore((s) => s.captures);
  const settle = useCaptureStore((s) => s.settle);
  const scores = useBatchStore((s) => s.scores);
  const skippedList = useBatchStore((s) => s.skipped);
  const images = useBatchStore((s) => s.images);
  const skipped = new Set(skippedList.map((s) => s.name));
  const states = captures.map((c) => ({ capture: c, ...stateOf(c, results, skipped) }));

  // The capture-to-verdict time: the first render that shows a verdict for the capture.
  useEffect(() => {
    for (const { capture, verdict } of states)
      if (capture.verdictAfterMs === null && (verdict === 'normal' || verdict === 'anomalous'))
        settle(capture.name, performance.now() - capture.takenAt);
  });

  const latest = states.at(-1);
  const ok = states.filter((s) => s.verdict === 'normal').length;
  const ng = states.filter((s) => s.verdict === 'anomalous').length;
  if (!latest)
    return (
      <div className="camera-verdict" data-testid="latest-verdict" data-verdict="none">
        <p className="muted">No capture yet. Press Capture or the space bar, or switch on automatic capture.</p>
      </div>
    );
  const { capture, row, verdict } = latest;
  // The captured crop's size, once the batch has taken the file in (before it is scored).
  const image = images.find((i) => i.path === capture.name);
  const timings = captures.flatMap((c) => (c.verdictAfterMs === null ? [] : [Math.round(c.verdictAfterMs)]));
  return (
    <div
      className={`camera-verdict camera-verdict-${verdict}`}
      data-testid="latest-verdict"
      data-verdict={verdict}
      data-score={row ? String(row.score) : ''}
      data-name={capture.name}
      data-size={image ? `${image.width}x${image.height}` : ''}
      data-verdict-ms={capture.verdictAfterMs === null ? '' : String(Math.round(capture.verdictAfterMs))}
      aria-live="polite"
    >
      <div className="camera-verdict-head">
        <span className="camera-verdict-big">{BIG_TEXT[verdict]}</span>
        {row && <span className="camera-verdict-score">score {formatScore(row.score)}</span>}
      </div>
      <div className="muted">
        {capture.name}
        {capture.verdictAfterMs !== null && `, verdict ${(capture.verdictAfterMs / 1000).toFixed(1)} s after capture`}
      </div>
      {row && scores && (
        <OverlayCanvas
          blob={row.image.blob}
          scores={scores}
          index={row.index}
          maxSide={480}
          outlineAbove={row.pixelThreshold}
          className="camera-verdict-heatmap"
        />
      )}
      <div
        className="camera-tally"
        data-testid="capture-tally"
        data-ok={ok}
        data-ng={ng}
        data-total={captures.length}
        data-verdict-ms={timings.join(',')}
      >
        {captures.length} capture{captures.length === 1 ? '' : 's'}: <strong>{ok} OK</strong>, <strong>{ng} NG</strong>
        {captures.length - ok - ng > 0 && `, ${captures.length - ok - ng} without a verdict yet`}
      </div>
    </div>
  );
}
