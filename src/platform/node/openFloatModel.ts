// onnxruntime-node behind src/encoders' OpenFloatModel: what the model import (tapping, the
// variant check) runs in Node. The page gives the same import onnxruntime-web's WASM instead.
import * as ort from 'onnxruntime-node';
import type { FloatSession, FloatTensor, OpenFloatModel } from '../../encoders/onnx/index.ts';

/** CPU, every graph optimisation (what the app gets), onnxruntime's own thread count. */
export const openFloatModel: OpenFloatModel = async (model) => {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: unused-initializer notices are not news here
  });
  const floatSession: FloatSession = {
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
  return floatSession;
};
