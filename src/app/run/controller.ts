// What the buttons do: add files (then score automatically), run, cancel, clear. One run at a
// time: a new run aborts the previous one, and the worker keeps what it had encoded.
import type { ModelManifest } from '../../encoders/manifest.ts';
import { WorkerCallError } from '../../worker/client.ts';
import type { RunStage } from '../../worker/protocol.ts';
import { IDLE_RUN, reportProgress, setRun, useBatchStore, type RunPhase } from '../batch/batchStore.ts';
import type { BatchRecord } from '../batch/types.ts';
import type { IncomingFile } from '../intake/collect.ts';
import { intake } from '../intake/intake.ts';
import { clearSavedBatch, loadBatch, saveBatch } from '../persistence/batchDb.ts';
import { showLoadedModel } from '../queryClient.ts';
import { useUiStore } from '../store.ts';
import { workerClient } from '../workerClient.ts';
import { resolveSettings } from './settings.ts';

let current: AbortController | null = null;

const PHASE_OF_STAGE: Record<RunStage, RunPhase> = {
  download: 'loading-model',
  verify: 'loading-model',
  compile: 'loading-model',
  warmup: 'loading-model',
  check: 'loading-model',
  encoding: 'encoding',
  scoring: 'scoring',
};

function record(): BatchRecord {
  const { images, skipped, scores, scoredWith, evaluation } = useBatchStore.getState();
  return { images, skipped, scores, scoredWith, evaluation };
}

function persist(): void {
  // A failed save (private mode, quota) only costs the reload recovery; the batch stays usable.
  saveBatch(record()).catch((err: unknown) => console.warn('MuScope could not save the batch for reloads:', err));
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof WorkerCallError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

async function evaluate(signal: AbortSignal): Promise<void> {
  const { images, scores } = useBatchStore.getState();
  if (!scores || images.length === 0 || images.some((i) => !i.truth)) return;
  const evaluation = await workerClient.call(
    'evaluate',
    {
      patchScores: scores.patchScores.slice(),
      grid: scores.grid,
      mapSize: scores.mapSize,
      imageScores: scores.imageScores.slice(),
      labels: images.map((i) => (i.truth?.anomalous ? 1 : 0)),
      masks: images.map((i) => i.truth?.mask ?? null),
    },
    { signal },
  );
  useBatchStore.setState({ evaluation });
}

/** Scores the whole batch with the current settings; `manifest` is the chosen model's. */
export async function runBatch(manifest: ModelManifest): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const { images } = useBatchStore.getState();
  const { backendPreference, settings } = useUiStore.getState();
  const scoreSettings = resolveSettings(manifest, backendPreference, settings);
  setRun({ ...IDLE_RUN, phase: 'loading-model', stageStartedAt: performance.now() });
  try {
    const scores = await workerClient.call(
      'score',
      { images: images.map((i) => ({ key: i.key, name: i.name, blob: i.blob })), settings: scoreSettings },
      { signal: controller.signal, onProgress: (p) => reportProgress(p, PHASE_OF_STAGE[p.stage]) },
    );
    // Even from a superseded run: it says what the worker holds now (WASM after a lost GPU device).
    showLoadedModel(scoreSettings, scores.model);
    if (current !== controller) return;
    useBatchStore.setState({ scores, scoredWith: scoreSettings, evaluation: null });
    useUiStore.getState().setManualThreshold(null);
    await evaluate(controller.signal).catch((err: unknown) => {
      if (!controller.signal.aborted)
        setRun({
          error: {
            code: 'evaluation-failed',
            message: `Scores are ready, but the evaluation against the masks failed: ${errorOf(err).message}`,
          },
        });
    });
    if (current !== controller) return;
    setRun({ phase: 'done', progress: null });
    persist();
  } catch (err) {
    if (current !== controller) return;
    const error = errorOf(err);
    setRun(
      error.code === 'cancelled'
        ? { phase: 'cancelled', progress: null, error: null }
        : { phase: 'error', progress: null, error },
    );
  } finally {
    if (current === controller) current = null;
  }
}

export function cancelRun(): void {
  current?.abort();
}

/**
 * Adds files to the batch; scores change with the batch (they are relative to it), so the old
 * ones are dropped and, when something was added, the batch is scored again.
 */
export async function addFiles(incoming: readonly IncomingFile[], manifest: ModelManifest | undefined): Promise<void> {
  if (incoming.length === 0) return;
  setRun({ checkingFiles: true });
  try {
    const { accepted, skipped } = await intake(incoming, useBatchStore.getState().images);
    useBatchStore.setState((s) => ({
      images: [...s.images, ...accepted],
      skipped: [...s.skipped, ...skipped],
      ...(accepted.length > 0 && { scores: null, scoredWith: null, evaluation: null }),
    }));
    persist();
    if (accepted.length > 0 && manifest) void runBatch(manifest);
  } catch (err) {
    setRun({
      phase: 'error',
      error: { code: 'intake-failed', message: `The files could not be read: ${errorOf(err).message}` },
    });
  } finally {
    setRun({ checkingFiles: false });
  }
}

/**
 * Empties the batch, on screen once the saved copy is gone: a reload right after Clear must not
 * bring the batch back. With `current` unset no run saves it again meanwhile.
 */
export async function clearBatch(): Promise<void> {
  current?.abort();
  current = null;
  await clearSavedBatch().catch((err: unknown) => console.warn('MuScope could not remove the saved batch:', err));
  useBatchStore.setState({ images: [], skipped: [], scores: null, scoredWith: null, evaluation: null, run: IDLE_RUN });
  useUiStore.getState().openImage(null);
  useUiStore.getState().setManualThreshold(null);
}

/** Brings back the batch saved before a reload, if any. */
export async function restoreBatch(): Promise<void> {
  try {
    const saved = await loadBatch();
    if (saved && saved.images.length > 0 && useBatchStore.getState().images.length === 0) {
      useBatchStore.setState({ ...saved, run: { ...IDLE_RUN, phase: saved.scores ? 'done' : 'idle' } });
    }
  } catch (err) {
    console.warn('MuScope could not read the saved batch:', err);
  } finally {
    useBatchStore.setState({ restored: true });
  }
}
