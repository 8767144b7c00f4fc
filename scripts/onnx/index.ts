// scripts/onnx: a small ONNX graph library for the model tools (tap, quantize, fixtures).
// Import from here; the modules behind it may be reorganised.
export {
  ModelProto,
  DataType,
  DataLocation,
  AttributeType,
  toNumber,
  nodeInputs,
  nodeOutputs,
  graphNodes,
  defaultOpset,
} from './proto.ts';
export type { onnx, Int64 } from './proto.ts';
export { decodeModel, encodeModel, readModel, writeModel, sha256Hex } from './io.ts';
export type { WrittenFile } from './io.ts';
export {
  elementCount,
  tensorDims,
  floatTensor,
  float16Tensor,
  int64Tensor,
  int32Tensor,
  int8Tensor,
  uint8Tensor,
  readFloats,
  readIntegers,
} from './tensor.ts';
export { attr, intAttr, intsAttr, floatAttr, tensorAttr } from './attributes.ts';
export { GraphEditor, createModel, valueInfo, valueInfoDims } from './editor.ts';
export type { NodeSpec, Dim, ModelOptions } from './editor.ts';
export { GraphIndex } from './query.ts';
export type { NodeQuery } from './query.ts';
export { topologicalOrder, sortGraph, pruneGraph } from './topology.ts';
export { appendL2Normalize } from './patterns.ts';
export { runModel, randomFloatTensor, maxAbsDiff } from './runtime.ts';
export type { FloatTensor, RunOptions } from './runtime.ts';
export { createPrng } from './prng.ts';
export type { Prng } from './prng.ts';
