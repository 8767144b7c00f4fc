// Running models in onnxruntime-node: the shape and value checks of the model tools and tests.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel } from './io.ts';
import { createPrng } from './prng.ts';
import type { onnx } from './proto.ts';

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

export interface RunOptions {
  /** ORT graph optimisation level; 'all' is what the app gets */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** the machines here are shared: one thread unless asked */
  threads?: number;
}

/** Runs a model once on float32 feeds and returns every graph output (all must be float32). */
export async function runModel(
  model: Uint8Array | onnx.IModelProto,
  feeds: Record<string, FloatTensor>,
  options: RunOptions = {},
): Promise<Record<string, FloatTensor>> {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  const session = await InferenceSession.create(bytes, {
    graphOptimizationLevel: options.optimization ?? 'all',
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    logSeverityLevel: 3, // errors only: unused-initializer notices are not news here
  });
  try {
    const inputs: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = new Tensor('float32', t.data, t.dims);
    const results = await session.run(inputs);
    const outputs: Record<string, FloatTensor> = {};
    for (const name of session.outputNames) {
      const t = results[name];
      if (t.type !== 'float32') throw new Error(`output ${name} is ${t.type}, not float32`);
      outputs[name] = { dims: [...t.dims], data: t.data as Float32Array };
    }
    return outputs;
  } finally {
    await session.release();
  }
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
