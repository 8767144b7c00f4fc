// What the buttons do: add, remove or (un)mark images as known good (then score automatically),
// run, cancel, clear. One run at a time: a new run aborts the previous one, and the worker keeps
// what it had encoded. The worker keeps the scored batch too, so sending it again after a change
// computes only what changed; meanwhile the last scores stay on screen.
import type { ModelManifest } from '../../encoders/manifest.ts';
import { WorkerCallError } from '../../worker/client.ts';
import type { ImageRole, RunStage } from '../../worker/protocol.ts';
import { IDLE_RUN, reportProgress, setRun, useBatchStore, type RunPhase } from '../batch/batchStore.ts';
import type { BatchImage, BatchRecord } from '../batch/types.ts';
import type { Handover } from '../intake/collect.ts';
import { NO_IMAGE_FILES } from '../../engine/preprocess/imageFiles.ts';
import { intakeWithVideos } from '../video/videoIntake.ts';
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

/** The scored queries with their positions in the score arrays; references are known good, not evaluated. */
function evaluatedImages(
  images: readonly BatchImage[],
  keys: readonly string[],
  roles: readonly ImageRole[] | undefined,
) {
  const byKey = new Map(images.map((image) => [image.key, image]));
  return keys.flatMap((key, index) => {
    const image = byKey.get(key);
    return (roles?.[index] ?? 'query') === 'query' ? [{ index, image }] : [];
  });
}

async function evaluate(signal: AbortSignal): Promise<void> {
  const { images, scores } = useBatchStore.getState();
  if (!scores) return;
  const scored = evaluatedImages(images, scores.keys, scores.roles);
  if (scored.length === 0 || scored.some(({ image }) => !image?.truth)) return;
  const patches = scores.grid * scores.grid;
  const patchScores = new Float64Array(scored.length * patches);
  scored.forEach(({ index }, i) =>
    patchScores.set(scores.patchScores.subarray(index * patches, (index + 1) * patches), i * patches),
  );
  const evaluation = await workerClient.call(
    'evaluate',
    {
      patchScores,
      grid: scores.grid,
      mapSize: scores.mapSize,
      imageScores: Float64Array.from(scored, ({ index }) => scores.imageScores[index]),
      labels: scored.map(({ image }) => (image?.truth?.anomalous ? 1 : 0)),
      masks: scored.map(({ image }) => image?.truth?.mask ?? null),
    },
    { signal },
  );
  useBatchStore.setState({ evaluation });
}

/**
 * Scores the whole batch with the current settings; `manifest` is the chosen model's. The worker
 * reuses what it computed for the same images and settings, so after a small change this is quick.
 */
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
      {
        images: images.map((i) => ({ key: i.key, name: i.name, blob: i.blob, role: i.role ?? 'query' })),
        settings: scoreSettings,
      },
      { signal: controller.signal, onProgress: (p) => reportProgress(p, PHASE_OF_STAGE[p.stage]) },
    );
    // Even from a superseded run: it says what the worker holds now (WASM after a lost GPU device).
    showLoadedModel(scoreSettings, scores.model);
    if (current !== controller) return;
    const scaleBefore = useBatchStore.getState().scores?.scale ?? 'batch-relative';
    const scale = scores.scale ?? 'batch-relative';
    useBatchStore.setState({ scores, scoredWith: scoreSettings, evaluation: null });
    // A manual threshold means something only on the scale it was set on: batch-relative scores
    // change meaning with every batch, distances to the references do not.
    if (scale === 'batch-relative' || scale !== scaleBefore) useUiStore.getState().setManualThreshold(null);
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
 * Adds files to the batch, as queries or as known-good references, and scores the batch again:
 * the last scores stay shown and the new images wait as pending until the new scores arrive.
 */
export async function addFiles(
  { files: incoming, emptyFolders }: Handover,
  manifest: ModelManifest | undefined,
  role: ImageRole = 'query',
): Promise<void> {
  const empty = emptyFolders.map((folder) => ({ name: `${folder}/`, reason: `${NO_IMAGE_FILES} in this folder` }));
  if (empty.length > 0) useBatchStore.setState((s) => ({ skipped: [...s.skipped, ...empty] }));
  if (incoming.length === 0) return;
  setRun({ checkingFiles: true });
  try {
    const { accepted, skipped } = await intakeWithVideos(incoming, useBatchStore.getState().images);
    const added = role === 'reference' ? accepted.map((image) => ({ ...image, role })) : accepted;
    useBatchStore.setState((s) => ({ images: [...s.images, ...added], skipped: [...s.skipped, ...skipped] }));
    persist();
    if (added.length > 0 && manifest) void runBatch(manifest);
  } catch (err) {
    setRun({
      phase: 'error',
      error: { code: 'intake-failed', message: `The files could not be read: ${errorOf(err).message}` },
    });
  } finally {
    setRun({ checkingFiles: false });
  }
}

/** Marks an image as a known-good reference ('reference') or as one to inspect ('query'), then rescores. */
export function setRole(key: string, role: ImageRole, manifest: ModelManifest | undefined): void {
  const { images } = useBatchStore.getState();
  if (!images.some((i) => i.key === key && (i.role ?? 'query') !== role)) return;
  useBatchStore.setState({ images: images.map((i) => (i.key === key ? { ...i, role } : i)) });
  persist();
  if (manifest) void runBatch(manifest);
}

/** Takes images out of the batch, then rescores what is left (or empties the batch). */
export function removeImages(keys: readonly string[], manifest: ModelManifest | undefined): void {
  const gone = new Set(keys);
  const { images } = useBatchStore.getState();
  const left = images.filter((i) => !gone.has(i.key));
  if (left.length === images.length) return;
  const ui = useUiStore.getState();
  if (ui.openKey && gone.has(ui.openKey)) ui.openImage(null);
  if (ui.focusedKey && gone.has(ui.focusedKey)) ui.focusImage(null);
  if (left.length === 0) {
    // Nothing left to score: back to an empty batch, as Clear would leave it (skipped files stay listed).
    current?.abort();
    current = null;
    useBatchStore.setState({ images: [], scores: null, scoredWith: null, evaluation: null, run: IDLE_RUN });
    ui.setManualThreshold(null);
    persist();
    return;
  }
  useBatchStore.setState({ images: left });
  persist();
  if (manifest) void runBatch(manifest);
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
