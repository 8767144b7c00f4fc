import { useState } from 'react';
import { findingsOf } from '../results/findings.ts';
import type { BatchScores } from '../../worker/protocol.ts';
import { formatScore } from '../results/format.ts';
import { VERDICT_TEXT, type BatchResults, type ImageResult } from '../results/results.ts';
import { CardActions, removeOnDeleteKey, type CardActionProps } from './CardActions.tsx';
import { OverlayCanvas } from './OverlayCanvas.tsx';

interface Props {
  row: ImageResult;
  scores: BatchScores;
  threshold: number | null;
  /** the batch's normal map level, for the findings sentence shown as the tooltip */
  normalLevel: number;
  range: BatchResults['range'];
  focused: boolean;
  onOpen: () => void;
  onFocus: () => void;
  actions: CardActionProps;
}

const THUMBNAIL_SIDE = 320;

/** Where `value` sits in the range, 0..1, for the score bar. */
function share(value: number, { min, max }: BatchResults['range']): number {
  return Math.max(0, Math.min(1, (value - min) / (max - min || 1)));
}

/**
 * A scored image: heatmap thumbnail, score bar with the threshold mark, verdict, and its actions.
 * The card is a container (a button may not hold other buttons): the thumbnail and text are the
 * button that opens the detail view; the card itself takes focus for the arrow keys.
 */
export function ResultCard({ row, scores, threshold, normalLevel, range, focused, onOpen, onFocus, actions }: Props) {
  const { image, score, verdict, rank } = row;
  // The findings sentence as the tooltip, measured when the pointer first comes over the card.
  const [findings, setFindings] = useState<string>();
  const slash = image.name.lastIndexOf('/');
  const reference = row.role === 'reference';
  return (
    <div
      className={`card card-${verdict}${focused ? ' card-focused' : ''}`}
      data-testid="result"
      data-name={image.name}
      data-score={String(score)}
      data-verdict={verdict}
      data-rank={rank}
      data-key={image.key}
      data-reference={String(reference)}
      data-duplicate-of={row.screening.duplicateOf ?? undefined}
      tabIndex={-1}
      onFocus={onFocus}
      onKeyDown={removeOnDeleteKey(actions.onRemove)}
    >
      <button
        type="button"
        className="card-open"
        aria-label={`${image.name}: score ${formatScore(score)}, ${VERDICT_TEXT[verdict]}${row.screeningText ? `, ${row.screeningText}` : ''}`}
        onClick={onOpen}
        onMouseEnter={() => findings ?? setFindings(findingsOf(scores, row, normalLevel).sentence)}
        title={findings}
        data-findings={findings}
      >
        <OverlayCanvas
          blob={image.blob}
          scores={scores}
          index={row.index}
          maxSide={THUMBNAIL_SIDE}
          outlineAbove={row.pixelThreshold}
          className="thumb"
        />
        <span className="card-body">
          <span className="card-title" title={image.path}>
            <span className="rank">
              {reference ? 'ref ' : '#'}
              {rank}
            </span>
            <span className="name">{image.name.slice(slash + 1)}</span>
            {slash >= 0 && <span className="folder">{image.name.slice(0, slash)}</span>}
          </span>
          <span className="scorebar" aria-hidden="true">
            <span className="scorebar-fill" style={{ width: `${share(score, range) * 100}%` }} />
            {threshold !== null && !reference && (
              <span className="scorebar-mark" style={{ left: `${share(threshold, range) * 100}%` }} />
            )}
          </span>
          <span className="card-foot">
            <span className="score" data-testid="score">
              {formatScore(score)}
            </span>
            <span className={`verdict verdict-${verdict}`}>{VERDICT_TEXT[verdict]}</span>
            {image.truth && (
              <span
                className={`truth truth-${image.truth.anomalous ? 'bad' : 'good'}`}
                title={`Ground truth from the folder: ${image.truth.defect}`}
              >
                GT {image.truth.anomalous ? 'defective' : 'good'}
              </span>
            )}
          </span>
          {row.screeningText && (
            <span className="screening" data-testid="screening" title={row.screeningText}>
              {row.screeningText}
            </span>
          )}
        </span>
      </button>
      <CardActions {...actions} />
    </div>
  );
}
