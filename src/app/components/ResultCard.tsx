import type { BatchScores } from '../../worker/protocol.ts';
import { formatScore } from '../results/format.ts';
import type { ImageResult } from '../results/results.ts';
import { OverlayCanvas } from './OverlayCanvas.tsx';

interface Props {
  row: ImageResult;
  scores: BatchScores;
  pixelThreshold: number;
  threshold: number;
  focused: boolean;
  onOpen: () => void;
  onFocus: () => void;
}

const THUMBNAIL_SIDE = 320;

/** A scored image: heatmap thumbnail, score bar with the threshold mark, verdict. */
export function ResultCard({ row, scores, pixelThreshold, threshold, focused, onOpen, onFocus }: Props) {
  const { image, score, verdict, rank } = row;
  const slash = image.name.lastIndexOf('/');
  return (
    <button
      type="button"
      className={`card card-${verdict}${focused ? ' card-focused' : ''}`}
      data-testid="result"
      data-name={image.name}
      data-score={String(score)}
      data-verdict={verdict}
      data-rank={rank}
      aria-label={`${image.name}: score ${formatScore(score)}, ${verdict}`}
      onClick={onOpen}
      data-key={image.key}
      onFocus={onFocus}
    >
      <OverlayCanvas
        blob={image.blob}
        scores={scores}
        index={row.index}
        maxSide={THUMBNAIL_SIDE}
        outlineAbove={pixelThreshold}
        className="thumb"
      />
      <span className="card-body">
        <span className="card-title" title={image.path}>
          <span className="rank">#{rank}</span>
          <span className="name">{image.name.slice(slash + 1)}</span>
          {slash >= 0 && <span className="folder">{image.name.slice(0, slash)}</span>}
        </span>
        <span className="scorebar" aria-hidden="true">
          <span className="scorebar-fill" style={{ width: `${Math.max(0, Math.min(1, score)) * 100}%` }} />
          <span className="scorebar-mark" style={{ left: `${Math.max(0, Math.min(1, threshold)) * 100}%` }} />
        </span>
        <span className="card-foot">
          <span className="score" data-testid="score">
            {formatScore(score)}
          </span>
          <span className={`verdict verdict-${verdict}`}>{verdict}</span>
          {image.truth && (
            <span
              className={`truth truth-${image.truth.anomalous ? 'bad' : 'good'}`}
              title={`Ground truth from the folder: ${image.truth.defect}`}
            >
              GT {image.truth.anomalous ? 'defective' : 'good'}
            </span>
          )}
        </span>
      </span>
    </button>
  );
}
