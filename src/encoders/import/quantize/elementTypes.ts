// Element types of every tensor in a graph, so the fp16 conversion knows which tensors are float.
// Declared types (inputs, outputs, value_info, initializers) win; otherwise a small rule table
// propagates them through the nodes in order. Ops not in the table are taken to output their
// first input's type, which holds for the elementwise, conv, pooling and shape-moving ops.
import { DataType, intAttr, nodeInputs, nodeOutputs } from '../../onnx/index.ts';
import type { Graph, Node } from './onnxExtras.ts';

const INT64_OUTPUT = new Set(['Shape', 'Size', 'NonZero', 'ArgMax', 'ArgMin']);
const BOOL_OUTPUT = new Set([
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
]);
const INT32_OUTPUT = new Set(['MatMulInteger', 'ConvInteger']);

function outputTypes(node: Node, typeOf: (name: string) => number | undefined): (number | undefined)[] {
  const inputs = nodeInputs(node);
  const first = typeOf(inputs[0] ?? '');
  const op = node.opType ?? '';
  if (op === 'Constant') {
    const value = node.attribute?.find((a) => a.name?.startsWith('value'));
    if (value?.name === 'value') return [value.t?.dataType ?? undefined];
    return [value?.name === 'value_float' || value?.name === 'value_floats' ? DataType.FLOAT : DataType.INT64];
  }
  if (op === 'Cast') return [intAttr(node, 'to')];
  if (op === 'ConstantOfShape') return [node.attribute?.find((a) => a.name === 'value')?.t?.dataType ?? DataType.FLOAT];
  if (op === 'DynamicQuantizeLinear') return [DataType.UINT8, DataType.FLOAT, DataType.UINT8];
  if (op === 'QuantizeLinear') return [typeOf(inputs[2] ?? '') ?? DataType.UINT8];
  if (op === 'DequantizeLinear') return [typeOf(inputs[1] ?? '')];
  if (op === 'Where') return [typeOf(inputs[1] ?? '')];
  if (INT64_OUTPUT.has(op)) return [DataType.INT64];
  if (BOOL_OUTPUT.has(op)) return [DataType.BOOL];
  if (INT32_OUTPUT.has(op)) return [DataType.INT32];
  // TopK, MaxPool: values keep the input type, the optional indices output is int64
  return nodeOutputs(node).map((_, i) =>
    i === 0 ? first : op === 'TopK' || op === 'MaxPool' ? DataType.INT64 : first,
  );
}

export function inferElementTypes(graph: Graph): Map<string, number> {
  const types = new Map<string, number>();
  const declared = new Map<string, number>();
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const t = info.type?.tensorType?.elemType;
    if (info.name && t) declared.set(info.name, t);
  }
  for (const t of graph.initializer ?? []) if (t.name && t.dataType) types.set(t.name, t.dataType);
  for (const [name, t] of declared) types.set(name, t);

  for (const node of graph.node ?? []) {
    const inferred = outputTypes(node, (name) => types.get(name));
    nodeOutputs(node).forEach((name, i) => {
      const t = declared.get(name) ?? inferred[i];
      if (name && t) types.set(name, t);
    });
  }
  return types;
}
