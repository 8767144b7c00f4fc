// src/encoders/onnx: a small ONNX graph library (protobuf decode/encode, tensors, queries, editing), no
// Node or DOM APIs, so the page and the model tools share it; scripts/onnx adds files and onnxruntime-node.
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
export { decodeModel, decodeModelFile, encodeModel, encodeModelParts, partsLength } from './codec.ts';
export type { FileParts } from './codec.ts';
export { externalPlace, placeOutside, weightsOutside } from './externalWeights.ts';
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
export { randomFloatTensor, maxAbsDiff, runOnce } from './floatTensor.ts';
export type { FloatSession, FloatTensor, OpenFloatModel, RunFloatModel } from './floatTensor.ts';
export { createPrng } from './prng.ts';
export type { Prng } from './prng.ts';
