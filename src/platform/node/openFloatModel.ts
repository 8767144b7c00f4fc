// onnxruntime-node behind src/encoders' OpenFloatModel: what the model import (tapping, the
// variant check) runs in Node, and the model tools' one-off runs (scripts/onnx/runtime.ts). The
// page gives the same import onnxruntime-web's WASM instead.
import * as ort from 'onnxruntime-node';
import { encodeModel, type FloatSession, type FloatTensor, type OpenFloatModel } from '../../encoders/onnx/index.ts';

export interface SessionOptions {
  /** ORT graph optimisation level; 'all' (the default) is what the app gets */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** intra-op threads; default onnxruntime's own count */
  threads?: number;
}

/** A CPU session on float32 feeds that returns every graph output (all must be float32). */
export async function openOrtSession(model: Uint8Array, options: SessionOptions = {}): Promise<FloatSession> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: options.optimization ?? 'all',
    ...(options.threads !== undefined && { intraOpNumThreads: options.threads, interOpNumThreads: 1 }),
    logSeverityLevel: 3, // errors only: unused-initializer notices are not news here
  });
  return {
    async run(feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', t.data, t.dims);
      const results = await session.run(inputs);
      const outputs: Record<string, FloatTensor> = {};
      for (const name of session.outputNames) {
        const t = results[name];
        if (t.type !== 'float32') throw new Error(`output ${name} is ${t.type}, not float32`);
        outputs[name] = { dims: [...t.dims], data: t.data as Float32Array };
      }
      return outputs;
    },
    release: () => session.release(),
  };
}

/** CPU, every graph optimisation (what the app gets), onnxruntime's own thread count. */
export const openFloatModel: OpenFloatModel = (model) => openOrtSession(encodeModel(model));
