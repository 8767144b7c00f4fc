// The one thing an encoder backend must do: run a float32 NCHW batch and return named outputs.
// onnxruntime-web (webgpu/wasm) in the worker and onnxruntime-node in the CLI implement it, so
// preprocessing, tap extraction and batching (encode.ts) are shared.

export interface TensorOutput {
  data: Float32Array;
  dims: number[];
}

export type EncoderOutputs = Record<string, TensorOutput>;

export interface EncoderRunner {
  /** input: [batch, 3, S, S] row-major; returns at least the manifest's tap and embedding outputs */
  run(input: Float32Array, batch: number): Promise<EncoderOutputs>;
}
