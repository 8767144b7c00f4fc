import type { RunProgress } from '../../worker/protocol.ts';
import { useBatchStore } from '../batch/batchStore.ts';
import { formatDuration } from '../results/format.ts';
import { cancelRun } from '../run/controller.ts';
import { loadStageText } from './loadStageText.ts';

function stageText(p: RunProgress): string {
  switch (p.stage) {
    case 'encoding':
      return p.pairsScored
        ? `Encoding images ${p.done} / ${p.total}, scoring as they arrive: ${p.pairsScored.toLocaleString()} image pairs done`
        : `Encoding images ${p.done} / ${p.total}`;
    case 'scoring':
      return `Mutual scoring: ${p.done.toLocaleString()} / ${p.total.toLocaleString()} image pairs`;
    default:
      return loadStageText({ stage: p.stage, done: p.done, total: p.total });
  }
}

/** Progress of a running batch: stage, bar, ETA and Cancel. */
export function RunProgressBar() {
  const run = useBatchStore((s) => s.run);
  const p = run.progress;
  const fraction = p && p.total > 0 ? p.done / p.total : null;
  const eta = run.etaSeconds;
  return (
    <div className="run-progress" data-testid="progress">
      <div className="run-line">
        <span className="stage">{p ? stageText(p) : 'Preparing…'}</span>
        {eta !== null && <span className="muted">about {formatDuration(eta)} left</span>}
        <div className="spacer" />
        <button type="button" className="danger" onClick={cancelRun} data-testid="cancel">
          Cancel
        </button>
      </div>
      <div className={`bar${fraction === null ? ' bar-indeterminate' : ''}`}>
        <div className="bar-fill" style={{ width: `${(fraction ?? 1) * 100}%` }} />
      </div>
    </div>
  );
}
