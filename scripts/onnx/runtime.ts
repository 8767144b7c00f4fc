// Running models in onnxruntime-node: the shape and value checks of the model tools and tests.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeModel, type FloatTensor, type onnx } from '../../src/encoders/onnx/index.ts';

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
