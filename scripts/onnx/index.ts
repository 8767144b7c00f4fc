// scripts/onnx: the ONNX graph library of src/encoders/onnx plus what needs Node (model files,
// sha256, runs in onnxruntime-node), for the model tools, fixtures and tests. Import from here.
export * from '../../src/encoders/onnx/index.ts';
export { readModel, writeModel, sha256Hex } from './io.ts';
export type { WrittenFile } from './io.ts';
export { runModel } from './runtime.ts';
