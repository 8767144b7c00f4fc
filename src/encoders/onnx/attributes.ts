// Node attributes: builders for the kinds graphs here use, and typed readers.
import { AttributeType, type onnx, toNumber } from './proto.ts';

export const attr = {
  int: (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): onnx.IAttributeProto => ({
    name,
    type: AttributeType.INTS,
    ints: [...ints],
  }),
  float: (name: string, f: number): onnx.IAttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  floats: (name: string, floats: readonly number[]): onnx.IAttributeProto => ({
    name,
    type: AttributeType.FLOATS,
    floats: [...floats],
  }),
  string: (name: string, s: string): onnx.IAttributeProto => ({
    name,
    type: AttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
  tensor: (name: string, t: onnx.ITensorProto): onnx.IAttributeProto => ({ name, type: AttributeType.TENSOR, t }),
};

function find(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttr(node: onnx.INodeProto, name: string): number | undefined {
  const a = find(node, name);
  return a ? toNumber(a.i) : undefined;
}

export function intsAttr(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  return a ? (a.ints ?? []).map(toNumber) : undefined;
}

export function floatAttr(node: onnx.INodeProto, name: string): number | undefined {
  const a = find(node, name);
  return a ? (a.f ?? 0) : undefined;
}

export function tensorAttr(node: onnx.INodeProto, name: string): onnx.ITensorProto | undefined {
  return find(node, name)?.t ?? undefined;
}
