// What the variant builders need beside src/encoders/onnx: an independent copy of a model to rewrite.
import type { onnx } from '../../onnx/index.ts';

export type Model = onnx.IModelProto;
export type Graph = onnx.IGraphProto;
export type Node = onnx.INodeProto;
export type Tensor = onnx.ITensorProto;

function copyOf<T>(value: T): T {
  // a tensor's bytes are shared: builders replace tensors and never write into their bytes, and
  // a copy of a large model's weights would double what a page adding it holds
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
  for (const [key, field] of Object.entries(value)) copy[key] = copyOf(field);
  return copy as T;
}

/** A deep copy sharing the tensors' bytes, so a builder can rewrite the graph without touching the model it was given. */
export function cloneModel(model: Model): Model {
  return copyOf(model);
}
