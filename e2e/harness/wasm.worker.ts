// The WASM side of the browser bench, in a module worker as in the app: the engine's MSM on its
// onnxruntime MatMul kernel, onnxruntime-web on the wasm execution provider, served from /ort/.

import * as ort from 'onnxruntime-web/webgpu';
import { createOrtMatmulKernel } from '../../src/engine/kernels/ortKernel.ts';
import { mutualScores } from '../../src/engine/msm.ts';
import { measureMsm } from './msmBench.ts';
import type { BenchRequest, Measurement } from './protocol.ts';

export type WasmBenchReply = (Measurement & { crossOriginIsolated: boolean; threads: number }) | { error: string };

self.onmessage = async ({ data: request }: MessageEvent<BenchRequest>) => {
  try {
    ort.env.wasm.wasmPaths = `${self.location.origin}/ort/`;
    ort.env.wasm.numThreads = request.threads;
    const kernel = createOrtMatmulKernel(ort, { executionProviders: ['wasm'] });
    const patches = request.grid * request.grid;
    const measurement = await measureMsm((z, images, window) => mutualScores(z, images, patches, request.dim, window, { kernel }), request);
    const reply: WasmBenchReply = { ...measurement, crossOriginIsolated: self.crossOriginIsolated, threads: ort.env.wasm.numThreads ?? 1 };
    self.postMessage(reply);
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies WasmBenchReply);
  }
};
