// onnxruntime-node's CPU EP has no fp16 kernels for Conv/BatchNormalization/… on x86: it loads an
// fp16 model but inserts Casts and computes in float32 (measured: the fp16 trunks' outputs equal
// those of an fp16-weights/fp32-compute twin to 2e-6). Checking the fp16 file on CPU therefore
// measures only weight rounding. This twin of the fp16 graph computes in float32 but rounds
// every fp16 tensor to fp16 right after the op that makes it (Cast→fp16→Cast→fp32), emulating
// fp16 storage between kernels, overflow to ±Inf included. It cannot emulate fp16 accumulation
// inside a kernel, which is up to the WebGPU kernel.
import {
  DataType,
  GraphEditor,
  attr,
  floatTensor,
  nodeOutputs,
  pruneGraph,
  tensorDims,
  toNumber,
} from '../../onnx/index.ts';
import { inferElementTypes } from './elementTypes.ts';
import { readFloat16 } from './float16.ts';
import { cloneModel, type Model, type Node, type Tensor } from './onnxExtras.ts';

function widen(tensor: Tensor): Tensor {
  if (tensor.dataType !== DataType.FLOAT16) return tensor;
  if (!tensor.rawData?.length) throw new Error(`fp16 tensor ${tensor.name} without raw_data is not supported`);
  const wide = floatTensor(tensor.name ?? '', tensorDims(tensor), readFloat16(tensor.rawData));
  if (!tensor.name) delete wide.name; // attribute values stay unnamed
  return wide;
}

/** Float16 in attributes (Constant/ConstantOfShape values, Cast targets) → float32. */
function widenAttributes(node: Node): void {
  for (const attribute of node.attribute ?? []) {
    if (attribute.t) attribute.t = widen(attribute.t);
    if (node.opType === 'Cast' && attribute.name === 'to' && toNumber(attribute.i) === DataType.FLOAT16)
      attribute.i = DataType.FLOAT;
  }
}

export function emulateFloat16Storage(fp16: Model): Model {
  const model = cloneModel(fp16);
  const graph = model.graph ?? {};
  const types = inferElementTypes(graph);
  const editor = new GraphEditor(graph);
  for (const node of [...editor.nodes]) {
    widenAttributes(node);
    node.output = nodeOutputs(node).map((out) => {
      if (types.get(out) !== DataType.FLOAT16) return out;
      const exact = editor.uniqueName(`${out}_float32`);
      const half = editor.uniqueName(`${out}_float16`);
      editor.addNode({
        op: 'Cast',
        inputs: [exact],
        outputs: [half],
        name: editor.uniqueName(`${out}_round_to_fp16`),
        attributes: [attr.int('to', DataType.FLOAT16)],
      });
      editor.addNode({
        op: 'Cast',
        inputs: [half],
        outputs: [out],
        name: editor.uniqueName(`${out}_back_to_fp32`),
        attributes: [attr.int('to', DataType.FLOAT)],
      });
      return exact;
    });
  }
  // fp16 weights stay as they are, widened by a Cast: exact, and no float32 copy of the weights
  // in this process (the runtime folds the Cast into its own float32 copy)
  const inputs = new Set((graph.input ?? []).map((i) => i.name));
  graph.initializer = (graph.initializer ?? []).map((tensor) => {
    if (tensor.dataType !== DataType.FLOAT16 || !tensor.name || inputs.has(tensor.name)) return widen(tensor);
    const stored = editor.uniqueName(`${tensor.name}_stored_float16`);
    editor.addNode({
      op: 'Cast',
      inputs: [stored],
      outputs: [tensor.name],
      name: editor.uniqueName(`${tensor.name}_widen_to_fp32`),
      attributes: [attr.int('to', DataType.FLOAT)],
    });
    return { ...tensor, name: stored };
  });
  graph.valueInfo = (graph.valueInfo ?? []).filter((info) => info.type?.tensorType?.elemType !== DataType.FLOAT16);
  pruneGraph(graph); // topological order for the appended Casts
  return model;
}
