// What the variant builders need beside src/encoders/onnx: an independent copy of a model to rewrite.
import { decodeModel, encodeModel, type onnx } from '../../onnx/index.ts';

export type Model = onnx.IModelProto;
export type Graph = onnx.IGraphProto;
export type Node = onnx.INodeProto;
export type Tensor = onnx.ITensorProto;

/** A deep copy, so a builder can rewrite the graph without touching the model it was given. */
export function cloneModel(model: Model): Model {
  return decodeModel(encodeModel(model));
}
