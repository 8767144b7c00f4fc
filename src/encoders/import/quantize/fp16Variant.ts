// True fp16 compute for WebGPU adapters with `shader-f16`: every float tensor becomes float16
// (initializers, Constant values, Cast targets), with Casts at the graph inputs and outputs so
// callers still feed and read float32. Ops whose fp16 result loses too much (statistics over
// many values, exponentials, powers that overflow 65504) run in float32 between Casts, and
// inputs that ONNX defines as float32 whatever the data type (Resize scales/roi) stay float32.
import {
  DataType,
  GraphEditor,
  attr,
  float16Tensor,
  nodeInputs,
  nodeOutputs,
  pruneGraph,
  readFloats,
  tensorDims,
  toNumber,
} from '../../onnx/index.ts';
import { inferElementTypes } from './elementTypes.ts';
import { toFloat16Bits } from './float16.ts';
import { cloneModel, type Model, type Node, type Tensor } from './onnxExtras.ts';

/**
 * Ops kept in float32: normalisation statistics and softmax sums need more than fp16's 11 bits,
 * and sums of squares (Pow, ReduceL2 of an embedding) overflow 65504 easily.
 */
export const KEEP_FP32_OPS: ReadonlySet<string> = new Set([
  'LayerNormalization',
  'Softmax',
  'LogSoftmax',
  'ReduceMean',
  'ReduceSum',
  'ReduceSumSquare',
  'ReduceL2',
  'Pow',
]);

/** Inputs that are float32 by the op's definition, not of the op's data type T. */
const FP32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [1, 2], Upsample: [1] };

type Precision = 'fp16' | 'fp32';

/** The precision each input of `node` must have. */
function inputPrecisions(node: Node): Precision[] {
  const keep = KEEP_FP32_OPS.has(node.opType ?? '');
  const fixed = FP32_INPUTS[node.opType ?? ''] ?? [];
  return nodeInputs(node).map((_, i) => (keep || fixed.includes(i) ? 'fp32' : 'fp16'));
}

function toFloat16Tensor(tensor: Tensor): Tensor {
  const converted = float16Tensor(tensor.name ?? '', tensorDims(tensor), toFloat16Bits(readFloats(tensor)));
  if (!tensor.name) delete converted.name; // attribute values stay unnamed
  return converted;
}

export function buildFp16Variant(source: Model): Model {
  const model = cloneModel(source);
  const graph = model.graph ?? {};
  if ((graph.node ?? []).some((n) => n.attribute?.some((a) => a.g || a.graphs?.length))) {
    throw new Error('fp16: graphs with subgraphs (If/Loop/Scan) are not supported');
  }
  const types = inferElementTypes(graph);
  const isFloat = (name: string) => types.get(name) === DataType.FLOAT;
  const editor = new GraphEditor(graph);
  const nodes = [...editor.nodes];

  // Where each float tensor lives: graph inputs and kept-fp32 op outputs in fp32; constants in
  // fp32 when every reader wants fp32, else fp16; every other op output in fp16.
  const wantedBy = new Map<string, Precision[]>();
  for (const node of nodes) {
    const precisions = inputPrecisions(node);
    nodeInputs(node).forEach((name, i) => wantedBy.set(name, [...(wantedBy.get(name) ?? []), precisions[i]]));
  }
  const constantHome = (name: string): Precision => {
    const wanted = wantedBy.get(name) ?? [];
    return wanted.length > 0 && wanted.every((p) => p === 'fp32') ? 'fp32' : 'fp16';
  };
  const home = new Map<string, Precision>();
  for (const input of graph.input ?? []) if (isFloat(input.name ?? '')) home.set(input.name ?? '', 'fp32');
  for (const t of graph.initializer ?? [])
    if (isFloat(t.name ?? '')) home.set(t.name ?? '', constantHome(t.name ?? ''));
  for (const node of nodes) {
    for (const out of nodeOutputs(node).filter(isFloat)) {
      if (KEEP_FP32_OPS.has(node.opType ?? '')) home.set(out, 'fp32');
      else home.set(out, node.opType === 'Constant' ? constantHome(out) : 'fp16');
    }
  }

  // Graph outputs keep their names and float32 type: an fp16 producer writes a renamed tensor
  // that a final Cast turns back into the named output.
  const renamed = new Map<string, string>();
  for (const output of graph.output ?? []) {
    const name = output.name ?? '';
    if (home.get(name) === 'fp16') renamed.set(name, editor.uniqueName(`${name}_fp16`));
  }
  const rename = (name: string) => renamed.get(name) ?? name;

  const casts = new Map<string, string>();
  const cast = (from: string, to: Precision, output = editor.uniqueName(`${from}_${to}`)): string => {
    editor.addNode({
      op: 'Cast',
      inputs: [from],
      outputs: [output],
      name: editor.uniqueName(`${from}_Cast_${to}`),
      attributes: [attr.int('to', to === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT)],
    });
    return output;
  };
  const castOnce = (from: string, to: Precision): string => {
    const key = `${from}->${to}`;
    const known = casts.get(key) ?? cast(from, to);
    casts.set(key, known);
    return known;
  };

  for (const node of nodes) {
    const precisions = inputPrecisions(node);
    node.input = nodeInputs(node).map((name, i) => {
      const at = home.get(name);
      if (!at) return name; // not a float tensor (or an absent optional input)
      return at === precisions[i] ? rename(name) : castOnce(rename(name), precisions[i]);
    });
    if (home.get(nodeOutputs(node)[0] ?? '') === 'fp16') convertNodeConstants(node);
    node.output = nodeOutputs(node).map(rename);
  }
  for (const [name, fp16Name] of renamed) cast(fp16Name, 'fp32', name);

  graph.initializer = (graph.initializer ?? []).map((t) =>
    home.get(t.name ?? '') === 'fp16' ? toFloat16Tensor(t) : t,
  );
  graph.valueInfo = (graph.valueInfo ?? []).map((info) => {
    const name = info.name ?? '';
    if (home.get(name) !== 'fp16' || !info.type?.tensorType) return info;
    return {
      ...info,
      name: rename(name),
      type: { tensorType: { ...info.type.tensorType, elemType: DataType.FLOAT16 } },
    };
  });
  pruneGraph(graph); // topological order for the appended Casts
  return model;
}

/** Float values a node carries in its attributes (Constant, ConstantOfShape) and Cast targets. */
function convertNodeConstants(node: Node): void {
  const attributes = node.attribute ?? [];
  const value = attributes.find((a) => a.name === 'value');
  switch (node.opType) {
    case 'Cast': {
      const to = attributes.find((a) => a.name === 'to');
      if (to && toNumber(to.i) === DataType.FLOAT) to.i = DataType.FLOAT16;
      break;
    }
    case 'Constant': {
      const scalar = attributes.find((a) => a.name === 'value_float' || a.name === 'value_floats');
      if (scalar) {
        const values = scalar.name === 'value_float' ? [scalar.f ?? 0] : (scalar.floats ?? []);
        const dims = scalar.name === 'value_float' ? [] : [values.length];
        node.attribute = [attr.tensor('value', toFloat16Tensor({ dataType: DataType.FLOAT, dims, floatData: values }))];
      } else if (value?.t) {
        value.t = toFloat16Tensor(value.t);
      }
      break;
    }
    case 'ConstantOfShape': {
      // without a value the op fills float32 zeros: state an fp16 zero instead
      node.attribute = [
        attr.tensor('value', toFloat16Tensor(value?.t ?? { dataType: DataType.FLOAT, dims: [1], floatData: [0] })),
      ];
      break;
    }
  }
}
