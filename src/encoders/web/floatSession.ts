// onnxruntime-web on WASM as the runner the import pipeline checks a model with (its taps' shapes,
// its variants against fp32): the page's counterpart of onnxruntime-node in `npm run model`.
import * as ort from 'onnxruntime-web/webgpu';
import { type FloatTensor, weightsOutside } from '../onnx/index.ts';
import type { OpenFloatModel } from '../import/index.ts';
import { configureOrt } from './ortWeb.ts';

export const openWasmFloatModel: OpenFloatModel = async (model) => {
  configureOrt();
  // the weights are read where they lie, so the page holds them once and the runtime once
  const { model: graph, files } = weightsOutside(model);
  const session = await ort.InferenceSession.create(graph, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    externalData: files,
    // packed copies of the MatMul weights would double what the runtime holds, for a few runs
    extra: { session: { disable_prepacking: '1' } },
  });
  return {
    async run(feeds) {
      const tensors = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]),
      );
      const results = await session.run(tensors);
      const out: Record<string, FloatTensor> = {};
      for (const [name, tensor] of Object.entries(results)) {
        if (tensor.type !== 'float32') throw new Error(`output ${name} is ${tensor.type}, expected float32`);
        out[name] = { dims: [...tensor.dims], data: tensor.data as Float32Array };
      }
      return out;
    },
    release: () => session.release(),
  };
};
