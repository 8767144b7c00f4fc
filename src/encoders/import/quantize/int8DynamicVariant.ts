// Dynamic int8 for the CPU paths (WASM, Node): activations are quantized at run time to uint8
// (DynamicQuantizeLinear, one scale per tensor), weights are int8 per output channel, and the
// integer op's int32 result is rescaled by activation scale × weight scale:
//   Conv   → ConvInteger(x_u8, w_s8, x_zp)   → Cast → Mul(x_scale·w_scale[1,C,1,1]) (→ Add bias)
//   MatMul → MatMulInteger(x_u8, w_s8, x_zp) → Cast → Mul(x_scale·w_scale[N])
// onnxruntime-node 1.30's CPU kernels take uint8 × int8 for both (probed, grouped/depthwise
// ConvInteger included). WebGPU has none of these kernels: never offer this variant there.
// Gemm stays float; so do the weights quantizableWeights keeps float32.
// Weights use 7 bits (±63), as onnxruntime's own quantize_dynamic does with reduce_range: on x86
// CPUs without VNNI (AVX2, AVX-512 without VNNI) its u8×s8 kernels add pairs of products in
// saturating int16 (vpmaddubsw), and 255·127·2 overflows it. Measured on an AMD EPYC without
// AVX-512: 8-bit weights gave a 28 % error on the quantize test model, and the variant failed its
// check there while passing on an AVX-512 Xeon; 255·63·2 fits, so every x86 CPU computes the same.
// Speed, measured in onnxruntime-node 1.30 (1 thread, busy 2-core machine): the CNN trunks run
// 2.5–3.5× slower than fp32 this way (a DynamicQuantizeLinear per conv and ConvInteger's slower
// path), so for them this variant buys a 4× smaller file, not speed.
import {
  DataType,
  GraphEditor,
  attr,
  defaultOpset,
  floatTensor,
  int8Tensor,
  nodeInputs,
  pruneGraph,
  readFloats,
  tensorDims,
  type onnx,
} from '../../onnx/index.ts';
import { quantizableWeights, quantizePerChannel, type WeightSlot } from './int8Weights.ts';
import { cloneModel, type Model, type Node } from './onnxExtras.ts';

/** DynamicQuantizeLinear exists from opset 11. */
const MIN_OPSET = 11;
/** int16 saturation-safe weight range for u8×s8 pair sums (see above). */
const WEIGHT_QMAX = 63;

interface QuantizedActivation {
  values: string;
  scale: string;
  zeroPoint: string;
}

export function buildInt8DynamicVariant(source: Model): Model {
  const model = cloneModel(source);
  if (defaultOpset(model) < MIN_OPSET)
    throw new Error(`int8-dynamic needs opset ≥ ${MIN_OPSET}, the model has ${defaultOpset(model)}`);
  const graph = model.graph ?? {};
  const slots = quantizableWeights(graph);
  const editor = new GraphEditor(graph);
  /** activation → its uint8 form, so an activation read by several ops is quantized once */
  const quantizedActivations = new Map<string, QuantizedActivation>();
  const add = (
    op: string,
    inputs: string[],
    outputs: string[],
    name: string,
    attributes: onnx.IAttributeProto[] = [],
  ) => editor.addNode({ op, inputs, outputs, name: editor.uniqueName(name), attributes });

  const quantizeActivation = (activation: string): QuantizedActivation => {
    const known = quantizedActivations.get(activation);
    if (known) return known;
    const q = {
      values: editor.uniqueName(`${activation}_uint8`),
      scale: editor.uniqueName(`${activation}_scale`),
      zeroPoint: editor.uniqueName(`${activation}_zero_point`),
    };
    add('DynamicQuantizeLinear', [activation], [q.values, q.scale, q.zeroPoint], `${activation}_DynamicQuantizeLinear`);
    quantizedActivations.set(activation, q);
    return q;
  };

  /** Replaces one Conv/MatMul by its integer form; false where it is kept in float. */
  const rewrite = (node: Node, slot: WeightSlot): boolean => {
    const isConv = node.opType === 'Conv';
    const bias = isConv ? nodeInputs(node)[2] : undefined;
    const biasTensor = bias ? editor.initializer(bias) : undefined;
    if (bias && biasTensor?.dataType !== DataType.FLOAT) return false; // a run-time bias would need a Reshape
    const base = node.name || node.opType || 'node';
    const output = node.output?.[0] ?? '';
    const q = quantizePerChannel(slot.weight, slot.axis, WEIGHT_QMAX);
    // broadcast shapes: [1, C, 1, …] against the NC… conv output, [N] against the matmul's last axis
    const channelShape = isConv
      ? [
          1,
          q.scales.length,
          ...tensorDims(slot.weight)
            .slice(2)
            .map(() => 1),
        ]
      : [q.scales.length];
    const weight = editor.addInitializer(int8Tensor(editor.uniqueName(`${slot.weight.name}_int8`), q.dims, q.values));
    const weightScale = editor.addInitializer(
      floatTensor(editor.uniqueName(`${slot.weight.name}_scale`), channelShape, q.scales),
    );

    const x = quantizeActivation(nodeInputs(node)[0]);
    const integer = editor.uniqueName(`${base}_int32`);
    const asFloat = editor.uniqueName(`${base}_int32_float`);
    const scale = editor.uniqueName(`${base}_output_scale`);
    const scaled = biasTensor ? editor.uniqueName(`${base}_scaled`) : output;
    // ConvInteger takes Conv's attributes (pads, strides, dilations, group, kernel_shape, auto_pad)
    add(
      isConv ? 'ConvInteger' : 'MatMulInteger',
      [x.values, weight, x.zeroPoint],
      [integer],
      `${base}_integer`,
      isConv ? (node.attribute ?? []) : [],
    );
    add('Cast', [integer], [asFloat], `${base}_Cast`, [attr.int('to', DataType.FLOAT)]);
    add('Mul', [x.scale, weightScale], [scale], `${base}_scale_Mul`);
    add('Mul', [asFloat, scale], [scaled], `${base}_rescale_Mul`);
    if (bias && biasTensor) {
      const broadcastBias = editor.addInitializer(
        floatTensor(editor.uniqueName(`${bias}_broadcast`), channelShape, readFloats(biasTensor)),
      );
      add('Add', [scaled, broadcastBias], [output], `${base}_bias_Add`);
    }
    return true;
  };

  const replaced = new Set<Node>();
  for (const [node, slot] of slots) if (node.opType !== 'Gemm' && rewrite(node, slot)) replaced.add(node);
  graph.node = editor.nodes.filter((n) => !replaced.has(n));
  pruneGraph(graph); // topological order for the appended nodes; drops the replaced float weights
  return model;
}
