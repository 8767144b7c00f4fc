// Similarity kernel on onnxruntime: the caller passes the runtime namespace (onnxruntime-node in
// Node, onnxruntime-web in the browser), so the engine itself imports neither.

import type * as Ort from 'onnxruntime-common';
import type { SimilarityKernel } from '../types.ts';
import { GEMM_INPUT_A, GEMM_INPUT_B, GEMM_OUTPUT, gemmTransBModel } from './gemmModel.ts';

export type OrtRuntime = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

export function createOrtMatmulKernel(
  ort: OrtRuntime,
  options?: Ort.InferenceSession.SessionOptions,
): SimilarityKernel {
  let session: Promise<Ort.InferenceSession> | undefined;
  return {
    name: 'ort',
    async matmulT(a, m, b, n, dim) {
      session ??= ort.InferenceSession.create(gemmTransBModel(), options);
      const results = await (
        await session
      ).run({
        [GEMM_INPUT_A]: new ort.Tensor('float32', a, [m, dim]),
        [GEMM_INPUT_B]: new ort.Tensor('float32', b, [n, dim]),
      });
      const data = results[GEMM_OUTPUT].data;
      if (!(data instanceof Float32Array)) throw new Error('onnxruntime returned a non-float32 similarity tensor');
      return data;
    },
  };
}
