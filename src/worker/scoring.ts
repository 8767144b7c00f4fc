// The `score` call: model → features (cached) → MuSc with onnxruntime's MatMul for the
// similarity tiles. Progress reports the stage the user waits on.
import * as ort from 'onnxruntime-web/webgpu';
import { scorerWindow } from '../engine/config.ts';
import { MuscError } from '../engine/errors.ts';
import { createOrtMatmulKernel } from '../engine/kernels/ortKernel.ts';
import { runMusc } from '../engine/pipeline.ts';
import type { SimilarityKernel } from '../engine/types.ts';
import { assembleBatch, featuresFor } from './features.ts';
import { ensureModel } from './models.ts';
import type { BatchScores, Calls, RunProgress } from './protocol.ts';

let similarity: SimilarityKernel | null = null;

/** ORT's wasm MatMul: SIMD and threaded, several times faster than the plain TypeScript kernel. */
function similarityKernel(): SimilarityKernel {
  similarity ??= createOrtMatmulKernel(ort, { executionProviders: ['wasm'] });
  return similarity;
}

export async function scoreBatch({ images, settings }: Calls['score']['request'], progress: (p: RunProgress) => void, signal: AbortSignal): Promise<BatchScores> {
  // Refuse a batch MuSc cannot score before spending time on encoding it.
  scorerWindow(images.length, settings.interval, settings.forceSmallBatch);
  const model = await ensureModel({ modelId: settings.modelId, backend: settings.backend, variant: settings.variant }, progress);
  const { features, encodedNow } = await featuresFor(model, settings, images, (done, total) => progress({ stage: 'encoding', done, total }), signal);
  const input = assembleBatch(model.manifest, features, settings.taps);
  if (input.layers.length === 0) throw new MuscError('invalid-config', 'No layer is selected. Pick at least one layer in the settings.');
  const result = await runMusc(
    input,
    { rList: settings.rList, interval: settings.interval, kList: settings.kList, imageSize: settings.inputSize, forceSmallBatch: settings.forceSmallBatch },
    {
      signal,
      similarity: similarityKernel(),
      onProgress: (p) => p.stage === 'msm' && progress({ stage: 'scoring', done: p.done, total: p.total }),
    },
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
