// The `score` call: model → features (cached) → MuSc, its LNAMD + MSM on WebGPU (our kernels on
// the device onnxruntime created) when the model runs there, else on the CPU with our
// WebAssembly SIMD kernel on a pool of workers (msmPool.ts). Progress reports the stage the user
// waits on. A run whose GPU device is lost midway runs again on WASM (deviceLoss.ts).
import * as ort from 'onnxruntime-web/webgpu';
import { deviceLostReason } from '../encoders/web/backend.ts';
import { scorerWindow } from '../engine/config.ts';
import { MuscError } from '../engine/errors.ts';
import { createOrtMatmulKernel } from '../engine/kernels/ortKernel.ts';
import { runMusc } from '../engine/pipeline.ts';
import type { MuscConfig, MuscInput, RunOptions, SimilarityKernel } from '../engine/types.ts';
import { createWebGpuMusc, type WebGpuMusc } from '../gpu/index.ts';
import { retryOnDeviceLoss } from './deviceLoss.ts';
import { assembleBatch, carryFeatures, featuresFor } from './features.ts';
import { ensureModel, type Loaded } from './models.ts';
import { createMsmPool } from './msmPool.ts';
import type { BatchScores, Calls, RunProgress } from './protocol.ts';

let similarity: SimilarityKernel | null = null;

/** onnxruntime's wasm MatMul: the CPU fallback when the kernel pool cannot run (no memory for its copies). */
function ortSimilarity(): SimilarityKernel {
  similarity ??= createOrtMatmulKernel(ort, { executionProviders: ['wasm'] });
  return similarity;
}

let gpu: { device: GPUDevice; musc: WebGpuMusc } | null = null;

async function gpuFeatureSetScorer(): Promise<NonNullable<RunOptions['scoreFeatureSet']>> {
  const device = await ort.env.webgpu.device;
  if (gpu?.device !== device) gpu = { device, musc: createWebGpuMusc(device) };
  return gpu.musc.scoreFeatureSet;
}

/** Runs `attempt`; the engine's own errors (a cancel among them) pass through, any other failure is logged and gives null. */
async function orFallback<T>(what: string, attempt: () => Promise<T>): Promise<T | null> {
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof MuscError) throw err;
    console.warn(`MuScope: ${what} failed (${String(err)}); scoring another way instead.`);
    return null;
  }
}

/**
 * On WebGPU first, then the WebAssembly SIMD kernel on a worker pool, then onnxruntime's wasm
 * MatMul: each failure other than a cancel (a lost GPU device included: its readbacks reject)
 * falls to the next, same results.
 */
async function runScoring(input: MuscInput, config: MuscConfig, onGpu: boolean, opts: RunOptions) {
  const onDevice = onGpu && (await orFallback('mutual scoring on WebGPU', async () => runMusc(input, config, { ...opts, scoreFeatureSet: await gpuFeatureSetScorer() })));
  if (onDevice) return onDevice;
  const pool = createMsmPool();
  const onPool = await orFallback('mutual scoring on the WASM kernel pool', () => runMusc(input, config, { ...opts, scoreFeatureSet: pool.scoreFeatureSet })).finally(() => pool.close());
  return onPool ?? runMusc(input, config, { ...opts, similarity: ortSimilarity() });
}

async function scoreWith(model: Loaded, { images, settings }: Calls['score']['request'], progress: (p: RunProgress) => void, signal: AbortSignal): Promise<BatchScores> {
  const { features, encodedNow } = await featuresFor(model, settings, images, (done, total) => progress({ stage: 'encoding', done, total }), signal);
  const input = assembleBatch(model.manifest, features, settings.taps);
  if (input.layers.length === 0) throw new MuscError('invalid-config', 'No layer is selected. Pick at least one layer in the settings.');
  const result = await runScoring(
    input,
    { rList: settings.rList, interval: settings.interval, kList: settings.kList, imageSize: settings.inputSize, forceSmallBatch: settings.forceSmallBatch },
    model.reply.backendInfo.backend === 'webgpu' && deviceLostReason() === null,
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
    model: model.reply,
  };
}

export async function scoreBatch(request: Calls['score']['request'], progress: (p: RunProgress) => void, signal: AbortSignal): Promise<BatchScores> {
  const { images, settings } = request;
  // Refuse a batch MuSc cannot score before spending time on encoding it.
  scorerWindow(images.length, settings.interval, settings.forceSmallBatch);
  return retryOnDeviceLoss(
    () => ensureModel({ modelId: settings.modelId, backend: settings.backend, variant: settings.variant }, progress),
    (model, lost) => {
      if (lost) carryFeatures(lost.reply, model.reply);
      return scoreWith(model, request, progress, signal);
    },
    signal,
  );
}
