// The `score` call: model → features (cached) → MuSc in the incremental session the worker keeps
// for the batch on screen (session.ts), on the WASM kernel pool or, when the model runs on WebGPU,
// on the GPU's feature slots. One path for every batch: a change computes only its own pairs, new
// images are scored while the next ones encode, and every batch is screened for near-duplicates
// and images that are not comparable (docs/method.md §19). A run whose GPU device is lost midway
// runs again on WASM (deviceLoss.ts).
import { unscreened } from '../engine/screening/notes.ts';
import { scorerWindow } from '../engine/config.ts';
import { MuscError } from '../engine/errors.ts';
import { checkBatchFits } from './batchBudget.ts';
import { retryOnDeviceLoss } from './deviceLoss.ts';
import { poolThreads } from './msmPool.ts';
import { carryFeatures, featuresFor } from './features.ts';
import { ensureModel, type Loaded } from './models.ts';
import { feedSession, type SessionScores } from './session.ts';
import type { BatchScores, Calls, RunProgress } from './protocol.ts';

/** The session's scores in the request's order, as the page reads a batch. */
function fromSession(
  images: Calls['score']['request']['images'],
  { state, judgement, pairs, on }: SessionScores,
): Omit<BatchScores, 'mapSize' | 'encodedNow' | 'model'> {
  const P = state.grid * state.grid;
  const byId = new Map(state.images.map((i) => [i.id, i]));
  const findings = new Map(judgement.findings.map((f) => [f.id, f]));
  const patchScores = new Float64Array(images.length * P);
  const rows = images.map((image, n) => {
    const scored = byId.get(image.key);
    if (scored?.patchScores) patchScores.set(scored.patchScores, n * P);
    const finding = findings.get(image.key);
    // A reference's score is its own against the other references (NaN while it has none).
    const score = finding ? finding.score : scored?.rawScore;
    return {
      raw: scored?.rawScore ?? NaN,
      score: score ?? NaN,
      role: scored?.role ?? 'query',
      screening: scored?.screening ?? unscreened(image.key),
    };
  });
  return {
    keys: images.map((i) => i.key),
    imageScores: Float64Array.from(rows, (r) => r.score),
    imageScoresRaw: Float64Array.from(rows, (r) => r.raw),
    patchScores,
    grid: state.grid,
    forcedSmallBatch: state.forcedSmallBatch,
    rscinWindows: judgement.rscinWindows,
    scale: judgement.scale,
    roles: rows.map((r) => r.role),
    calibrated: judgement.scale === 'distance' ? { threshold: judgement.threshold, rule: judgement.rule } : null,
    pairsComputed: pairs,
    screening: rows.map((r) => r.screening),
    screeningRule: judgement.screeningRule,
    scoring: { on },
  };
}

/** The held session brought to the batch, each group of new images added as soon as it is encoded. */
async function scoreInSession(
  model: Loaded,
  { images, settings }: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
): Promise<BatchScores> {
  if (!model.manifest.taps.some((t) => settings.taps.includes(t.name)))
    throw new MuscError('invalid-config', 'No layer is selected. Pick at least one layer in the settings.');
  // Refuse a batch this tab cannot hold before spending time on encoding it.
  checkBatchFits(
    model.manifest,
    settings,
    {
      images: images.length,
      references: images.filter((i) => i.role === 'reference').length,
      featureCopies: model.reply.backendInfo.backend === 'webgpu' ? 0 : poolThreads(),
    },
    (navigator as Navigator & { deviceMemory?: number }).deviceMemory,
  );
  // Pairs scored while images still encode are reported with the encoding progress.
  let encoding: RunProgress | null = { stage: 'encoding', done: 0, total: images.length };
  const report = (p: RunProgress) => progress((encoding = p));
  const feed = await feedSession(
    model,
    settings,
    images,
    (done, total) =>
      encoding ? report({ ...encoding, pairsScored: done }) : progress({ stage: 'scoring', done, total }),
    signal,
  );
  const encoded = await featuresFor(
    model,
    settings,
    images,
    (done, total) => encoding && report({ ...encoding, done, total }),
    signal,
    (indices, features) => feed.offer(indices, features),
  ).catch(async (err: unknown) => {
    await feed.abandon();
    throw err;
  });
  encoding = null;
  const scored = await feed.finish(encoded.features);
  return {
    ...fromSession(images, scored),
    mapSize: settings.inputSize,
    model: model.reply,
    encodedNow: encoded.encodedNow,
  };
}

export async function scoreBatch(
  request: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
): Promise<BatchScores> {
  const { images, settings } = request;
  // Refuse a batch mutual scoring cannot score before spending time on encoding it (against
  // known-good references any number of images can be scored).
  if (!images.some((i) => i.role === 'reference'))
    scorerWindow(images.length, settings.interval, settings.forceSmallBatch);
  return retryOnDeviceLoss(
    () => ensureModel({ modelId: settings.modelId, backend: settings.backend, variant: settings.variant }, progress),
    async (model, lost) => {
      if (lost) await carryFeatures(lost.reply, model.reply);
      return scoreInSession(model, request, progress, signal);
    },
    signal,
  );
}
