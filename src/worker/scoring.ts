// The `score` call: model → features (cached) → MuSc, its LNAMD + MSM on WebGPU (our kernels on
// the device onnxruntime created, reading the taps it left there) when the model runs there,
// else on the CPU with our WebAssembly SIMD kernel on a pool of workers (msmPool.ts). Progress
// reports the stage the user waits on. A run whose GPU device is lost midway runs again on WASM
// (deviceLoss.ts).
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

async function scoreWith(
  model: Loaded,
  { images, settings }: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
): Promise<BatchScores> {
  const { features, encodedNow } = await featuresFor(
    model,
    settings,
    images,
    (done, total) => progress({ stage: 'encoding', done, total }),
    signal,
  );
  if (!model.manifest.taps.some((t) => settings.taps.includes(t.name)))
    throw new MuscError('invalid-config', 'No layer is selected. Pick at least one layer in the settings.');
  const gpuAlive = model.reply.backendInfo.backend === 'webgpu' && deviceLostReason() === null;
  const { result, scoring } = await runScoring(
    {
      onDevice: gpuAlive ? await assembleOnDevice(model.manifest, features, settings.taps) : null,
      onHost: () => assembleOnHost(model.manifest, features, settings.taps),
    },
    {
      rList: settings.rList,
      interval: settings.interval,
      kList: settings.kList,
      imageSize: settings.inputSize,
      forceSmallBatch: settings.forceSmallBatch,
    },
    { signal, onProgress: (p) => p.stage === 'msm' && progress({ stage: 'scoring', done: p.done, total: p.total }) },
  );
  return {
    keys: images.map((i) => i.key),
    imageScores: result.imageScores,
    imageScoresRaw: result.imageScoresRaw,
    patchScores: result.patchScores,
    grid: result.grid,
    mapSize: settings.inputSize,
    forcedSmallBatch: result.forcedSmallBatch,
    rscinWindows: result.rscinWindows,
    encodedNow,
    scoring,
    model: model.reply,
  };
}

export async function scoreBatch(
  request: Calls['score']['request'],
  progress: (p: RunProgress) => void,
  signal: AbortSignal,
): Promise<BatchScores> {
  const { images, settings } = request;
  // Refuse a batch MuSc cannot score before spending time on encoding it.
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
