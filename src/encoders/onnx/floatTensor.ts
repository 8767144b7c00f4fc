// Float32 tensors as the model checks see them, and how a check runs a model: the runtime is the
// caller's (onnxruntime-node in src/platform/node/openFloatModel.ts and scripts/onnx/runtime.ts;
// onnxruntime-web in the page).
import { createPrng } from './prng.ts';
import type { onnx } from './proto.ts';

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/** Runs a model once on float32 feeds and returns every graph output (all float32). */
export type RunFloatModel = (
  model: onnx.IModelProto,
  feeds: Record<string, FloatTensor>,
) => Promise<Record<string, FloatTensor>>;

/** A model opened in the caller's runtime: runs float32 feeds and returns every graph output (all float32). */
export interface FloatSession {
  run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
  release(): Promise<void>;
}

/**
 * Opens a model; one session serves several runs (the variant check runs every image). The model
 * is handed over as a message, so a runtime that can read weights where they lie need not be
 * given a copy of them (src/encoders/web/floatSession.ts).
 */
export type OpenFloatModel = (model: onnx.IModelProto) => Promise<FloatSession>;

/** One run in a session of its own. */
export function runOnce(open: OpenFloatModel): RunFloatModel {
  return async (model, feeds) => {
    const session = await open(model);
    try {
      return await session.run(feeds);
    } finally {
      await session.release();
    }
  };
}

/** Seeded values in [-2, 2): the range of mean/std-normalised pixels. */
export function randomFloatTensor(dims: readonly number[], seed: number): FloatTensor {
  const prng = createPrng(seed);
  const data = new Float32Array(dims.reduce((n, d) => n * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = prng.symmetric(2);
  return { dims: [...dims], data };
}

/** Largest |a − b| over two tensors of the same shape. */
export function maxAbsDiff(a: FloatTensor, b: FloatTensor): number {
  if (a.dims.join() !== b.dims.join()) throw new Error(`shapes differ: [${a.dims}] vs [${b.dims}]`);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}
