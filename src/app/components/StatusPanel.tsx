import type { ModelManifest } from '../../encoders/manifest.ts';
import { WORKER_CRASHED, WorkerCallError } from '../../worker/client.ts';
import type { BatchScores, LoadedModel, LoadProgress } from '../../worker/protocol.ts';
import { isBusy, useBatchStore, type RunError } from '../batch/batchStore.ts';
import { runBatch } from '../run/controller.ts';
import { useUiStore } from '../store.ts';
import type { RunPhase } from '../batch/batchStore.ts';
import { BackendBadge } from './BackendBadge.tsx';
import { loadStageText } from './loadStageText.ts';
import { RunProgressBar } from './RunProgressBar.tsx';

const loadText = (p: LoadProgress | null): string => (p ? loadStageText(p) : 'Loading the model…');

/** After the worker's crash nothing can run in this tab again; the batch is stored, a reload brings it back. */
function ReloadButton() {
  return (
    <button type="button" onClick={() => location.reload()} data-testid="reload">
      Reload the page
    </button>
  );
}

/** What the user can do about an error, as buttons. */
function ErrorActions({ error, manifest }: { error: RunError; manifest: ModelManifest | undefined }) {
  const updateSettings = useUiStore((s) => s.updateSettings);
  const setBackendPreference = useUiStore((s) => s.setBackendPreference);
  const retry = () => manifest && void runBatch(manifest);
  if (error.code === WORKER_CRASHED) return <ReloadButton />;
  if (error.code === 'too-few-images' || error.code === 'rscin-too-few-images') {
    return (
      <button
        type="button"
        onClick={() => {
          updateSettings({ forceSmallBatch: true });
          retry();
        }}
        data-testid="force-run"
      >
        Score anyway (forced)
      </button>
    );
  }
  if (error.code === 'session-failed' || error.code === 'bad-output') {
    return (
      <button
        type="button"
        onClick={() => {
          setBackendPreference('wasm');
          retry();
        }}
      >
        Retry on WASM (CPU)
      </button>
    );
  }
  return manifest ? (
    <button type="button" onClick={retry}>
      Try again
    </button>
  ) : null;
}

/** How many references scored the batch, and how much this run computed (a rescore after a change computes only what changed). */
function ReferencesNote({ scores }: { scores: BatchScores }) {
  const references = scores.roles?.filter((r) => r === 'reference').length ?? 0;
  const pairs = scores.pairsComputed;
  return (
    <>
      {references > 0 && (
        <span data-testid="reference-count" data-count={references}>
          {' '}
          {references} of them known-good reference{references === 1 ? '' : 's'}.
        </span>
      )}
      {pairs !== undefined && (
        <span className="muted" data-testid="pairs-computed" data-pairs={pairs}>
          {' '}
          {pairs} image pair{pairs === 1 ? '' : 's'} computed this run.
        </span>
      )}
    </>
  );
}

interface Props {
  state: RunPhase;
  model: LoadedModel | undefined;
  modelError: Error | null;
  manifest: ModelManifest | undefined;
}

/** One line that always says what the app is doing, with the model and backend in use. */
export function StatusPanel({ state, model, modelError, manifest }: Props) {
  const run = useBatchStore((s) => s.run);
  const scores = useBatchStore((s) => s.scores);
  const images = useBatchStore((s) => s.images.length);
  const loadProgress = useUiStore((s) => s.loadProgress);
  const running = isBusy(state);
  // In the error state after a finished run, the error is the model's (App puts it first).
  const runError = run.phase === 'error' ? run.error : null;
  return (
    <section className={`status status-${state}`} data-testid="status" data-state={state} aria-live="polite">
      <div className="status-main">
        {running && run.progress ? <RunProgressBar /> : null}
        {running && !run.progress && <p>{state === 'loading-model' ? loadText(loadProgress) : 'Preparing…'}</p>}
        {state === 'idle' && (
          <p>
            {images
              ? 'Ready. Press Run to score the batch.'
              : 'Ready. Drop a batch of photos of one product, or try the demo set.'}
          </p>
        )}
        {state === 'done' && scores && (
          <p>
            Scored {scores.keys.length} images
            {scores.encodedNow < scores.keys.length
              ? ` (${scores.keys.length - scores.encodedNow} from the feature cache)`
              : ''}
            .<ReferencesNote scores={scores} />
            {scores.scoring && (
              <span className="muted" data-testid="scored-on" data-on={scores.scoring.on}>
                {' '}
                {scores.scale === 'distance' ? 'Scoring against the references' : 'Mutual scoring'} ran on{' '}
                {scores.scoring.on === 'webgpu' ? 'WebGPU' : 'the CPU (WASM)'}.
              </span>
            )}
            {scores.forcedSmallBatch && (
              <strong className="forced"> Forced: the batch is too small for reliable scores.</strong>
            )}
          </p>
        )}
        {state === 'cancelled' && (
          <p>Cancelled. Images encoded so far are kept, so the next run continues from there.</p>
        )}
        {state === 'error' && (
          <div className="status-error" role="alert">
            <p className="error" data-testid="error">
              {runError?.message ?? modelError?.message ?? 'Something went wrong.'}
            </p>
            {runError ? (
              <ErrorActions error={runError} manifest={manifest} />
            ) : (
              modelError instanceof WorkerCallError && modelError.code === WORKER_CRASHED && <ReloadButton />
            )}
          </div>
        )}
        {state === 'done' && run.error && <p className="error">{run.error.message}</p>}
      </div>
      {model && (
        <div className="status-model">
          <span className="muted">Model</span> <strong data-testid="model">{model.modelId}</strong>
          <BackendBadge model={model} />
        </div>
      )}
    </section>
  );
}
