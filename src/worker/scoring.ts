// The `score` call: model → features (cached) → MuSc. On the CPU, and whenever known-good
// references are marked, an incremental session (session.ts) keeps the batch between calls. A
// plain batch on WebGPU runs LNAMD + MSM with our kernels on the device onnxruntime created,
// reading the taps it left there; if that fails, the WebAssembly SIMD kernel on a pool of workers
// (msmPool.ts). Progress
// reports the stage the user waits on. A run whose GPU device is lost midway runs again on WASM
// (deviceLoss.ts).
import { unscreened } from '../engine/screening/notes.ts';
import * as ort from 'onnxruntime-web/webgpu';
import { deviceLostReason } from '../encoders/web/backend.ts';
import { scorerWindow } from '../engine/config.ts';
import { MuscError } from '../engine/errors.ts';
import { createOrtMatmulKernel } from '../engine/kernels/ortKernel.ts';
import { runMusc } from '../engine/pipeline.ts';
import type { MuscConfig, MuscInput, MuscResult, RunOptions, SimilarityKernel } from '../engine/types.ts';
import type { DeviceLayer } from '../gpu/index.ts';
import { retryOnDeviceLoss } from './deviceLoss.ts';
import { assembleOnDevice, assembleOnHost, carryFeatures, featuresFor } from './features.ts';
import { ortGpuMusc } from './gpuMusc.ts';
import { ensureModel, type Loaded } from './models.ts';
import { forgetPlainBatch, keepPlainBatch } from './evidence.ts';
import { dropSession, feedSession, type SessionScores } from './session.ts';
import { createMsmPool } from './msmPool.ts';
import type { BatchScores, Calls, RunProgress, ScoringInfo } from './protocol.ts';

let similarity: SimilarityKernel | null = null;

/** onnxruntime's wasm MatMul: the CPU fallback when the kernel pool cannot run (no memory for its copies). */
function ortSimilarity(): SimilarityKernel {
  similarity ??= createOrtMatmulKernel(ort, { executionProviders: ['wasm'] });
  return similarity;
}

/** Runs `run`; the engine's own errors (a cancel among them) pass through, any other failure is logged and given back. */
async function attempt<T>(what: string, run: () => Promise<T>): Promise<{ value: T } | { failure: string }> {
  try {
    return { value: await run() };
  } catch (err) {
    if (err instanceof MuscError) throw err;
    console.warn(`MuScope: ${what} failed (${String(err)}); scoring another way instead.`);
    return { failure: err instanceof Error ? err.message : String(err) };
  }
}

interface Batch {
  /** the features left on the GPU, when they all are and the device is alive */
  onDevice: MuscInput<DeviceLayer> | null;
  /** the features in CPU memory (read back from the GPU if they were encoded there) */
  onHost: () => Promise<MuscInput>;
}

/**
 * On WebGPU first (the features never leave the GPU), then the WebAssembly SIMD kernel on a
 * worker pool, then onnxruntime's wasm MatMul: each failure other than a cancel (a lost GPU device
 * included: its readbacks reject) falls to the next, same results, and the user is told why.
 */
async function runScoring(
  batch: Batch,
  config: MuscConfig,
  opts: RunOptions,
): Promise<{ result: MuscResult; scoring: ScoringInfo }> {
  const { onDevice } = batch;
  let gpuFailure: string | null = null;
  if (onDevice) {
    const gpu = await attempt('mutual scoring on WebGPU', async () =>
      runMusc(onDevice, config, { ...opts, scoreFeatureSet: (await ortGpuMusc()).scoreFeatureSet }),
    );
    if ('value' in gpu) return { result: gpu.value, scoring: { on: 'webgpu', fallbackReason: null } };
    gpuFailure = `Mutual scoring on WebGPU failed (${gpu.failure}); it ran on the CPU instead.`;
  }
  const scoring: ScoringInfo = { on: 'wasm', fallbackReason: gpuFailure };
  const input = await batch.onHost();
  const pool = createMsmPool();
  const onPool = await attempt('mutual scoring on the WASM kernel pool', () =>
    runMusc(input, config, { ...opts, scoreFeatureSet: pool.scoreFeatureSet }),
  ).finally(() => pool.close());
  return {
    result: 'value' in onPool ? onPool.value : await runMusc(input, config, { ...opts, similarity: ortSimilarity() }),
    scoring,
  };
}

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
    scoring: { on, fallbackReason: null },
  };
}

type Score = (
  model: Loaded,
  request: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
) => Promise<BatchScores>;

/** The held session brought to the batch, each group of new images added as soon as it is encoded. */
const scoreInSession: Score = async (model, { images, settings }, progress, signal) => {
  const common = { mapSize: settings.inputSize, model: model.reply };
  forgetPlainBatch();
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
  return { ...fromSession(images, scored), ...common, encodedNow: encoded.encodedNow };
};

/** A plain batch on the GPU, scored whole on the path whose features never leave the GPU. */
const scoreWhole: Score = async (model, { images, settings }, progress, signal) => {
  const common = { mapSize: settings.inputSize, model: model.reply };
  const { features, encodedNow } = await featuresFor(
    model,
    settings,
    images,
    (done, total) => progress({ stage: 'encoding', done, total }),
    signal,
  );
  const onPairs = (done: number, total: number) => progress({ stage: 'scoring', done, total });
  dropSession();
  keepPlainBatch(model.manifest, images, features, settings.taps, settings.rList);
  const { result, scoring } = await runScoring(
    {
      onDevice: await assembleOnDevice(model.manifest, features, settings.taps),
      onHost: () => assembleOnHost(model.manifest, features, settings.taps),
    },
    {
      rList: settings.rList,
      interval: settings.interval,
      kList: settings.kList,
      imageSize: settings.inputSize,
      forceSmallBatch: settings.forceSmallBatch,
    },
    { signal, onProgress: (p) => p.stage === 'msm' && onPairs(p.done, p.total) },
  );
  return {
    keys: images.map((i) => i.key),
    imageScores: result.imageScores,
    imageScoresRaw: result.imageScoresRaw,
    patchScores: result.patchScores,
    grid: result.grid,
    forcedSmallBatch: result.forcedSmallBatch,
    rscinWindows: result.rscinWindows,
    scale: 'batch-relative',
    calibrated: null,
    pairsComputed: (images.length * (images.length - 1)) / 2,
    scoring,
    ...common,
    encodedNow,
  };
};

async function scoreWith(
  model: Loaded,
  request: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
): Promise<BatchScores> {
  const { images, settings } = request;
  if (!model.manifest.taps.some((t) => settings.taps.includes(t.name)))
    throw new MuscError('invalid-config', 'No layer is selected. Pick at least one layer in the settings.');
  const gpuAlive = model.reply.backendInfo.backend === 'webgpu' && deviceLostReason() === null;
  const withReferences = images.some((i) => i.role === 'reference');
  // On the CPU, and whenever references are marked, an incremental session keeps the batch, so a
  // change computes only its own pairs, and new images are scored while the next ones encode. A
  // plain batch on the GPU keeps the path whose features never leave the GPU.
  const score = !gpuAlive || withReferences ? scoreInSession : scoreWhole;
  return score(model, request, progress, signal);
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
      return scoreWith(model, request, progress, signal);
    },
    signal,
  );
}
