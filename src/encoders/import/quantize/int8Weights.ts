// Symmetric per-output-channel int8 weights, shared by both int8 variants: which weights are
// quantized (and which axis holds their output channels), and the quantizer itself.
import {
  DataType,
  GraphIndex,
  elementCount,
  intAttr,
  nodeInputs,
  nodeOutputs,
  readFloats,
  tensorDims,
} from '../../onnx/index.ts';
import type { Graph, Node, Tensor } from './onnxExtras.ts';

/** int8 range used: ±127 keeps the grid symmetric, so a zero point of 0 is exact. */
const QMAX = 127;

/**
 * Weights with fewer values stay float32: they are a negligible part of the file and hold most
 * of the error for their size (depthwise and early 1×1 convs of MobileNetV2).
 */
export const MIN_QUANTIZED_WEIGHT_VALUES = 4096;

export interface WeightSlot {
  /** which input of the node is the weight */
  input: number;
  weight: Tensor;
  /** the weight axis holding the node's output channels */
  axis: number;
}

/** The constant float weight of a Conv, MatMul or Gemm, and its output-channel axis. */
function weightSlot(node: Node, index: GraphIndex, graphInputs: Set<string>): WeightSlot | null {
  const name = nodeInputs(node)[1] ?? '';
  const weight = index.initializer(name);
  // a graph input shadowing the initializer (IR < 4) may be fed at run time: not a constant
  if (!weight || weight.dataType !== DataType.FLOAT || graphInputs.has(name)) return null;
  const rank = tensorDims(weight).length;
  switch (node.opType) {
    case 'Conv':
      return rank >= 3 ? { input: 1, weight, axis: 0 } : null;
    case 'MatMul':
      return rank >= 2 ? { input: 1, weight, axis: rank - 1 } : null;
    case 'Gemm':
      return rank === 2 ? { input: 1, weight, axis: intAttr(node, 'transB') ? 0 : 1 } : null;
    default:
      return null;
  }
}

/**
 * The weights both int8 variants quantize. Kept float32: weights under
 * MIN_QUANTIZED_WEIGHT_VALUES, and the stem (weighted ops no other weighted op feeds), whose
 * error every later layer carries. Measured on the check images, quantizing only ResNet50's stem
 * conv (9,408 values) took stage2_act to cosine 0.9960, and MobileNetV2's first blocks took s8
 * to 0.978; kept in float32 they cost 0.04 MB and 0.12 MB.
 */
export function quantizableWeights(graph: Graph): Map<Node, WeightSlot> {
  const index = new GraphIndex(graph);
  const graphInputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  const downstreamOfWeights = new Set<string>();
  const slots = new Map<Node, WeightSlot>();
  for (const node of index.nodes) {
    // nodes are topologically sorted, so every input's producer was seen already
    const downstream = nodeInputs(node).some((t) => downstreamOfWeights.has(t));
    const slot = weightSlot(node, index, graphInputs);
    if (slot && downstream && elementCount(tensorDims(slot.weight)) >= MIN_QUANTIZED_WEIGHT_VALUES)
      slots.set(node, slot);
    if (slot || downstream) for (const t of nodeOutputs(node)) downstreamOfWeights.add(t);
  }
  return slots;
}

export interface QuantizedWeight {
  values: Int8Array;
  /** one scale per output channel: weight ≈ values × scale */
  scales: Float32Array;
  dims: number[];
}

/** Round half to even, so +x.5 and −x.5 round symmetrically. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Per output channel, symmetric, onto ±qmax (default ±127; the dynamic variant uses 7 bits, see there). */
export function quantizePerChannel(weight: Tensor, axis: number, qmax = QMAX): QuantizedWeight {
  const data = readFloats(weight);
  const dims = tensorDims(weight);
  const channels = dims[axis];
  const inner = elementCount(dims.slice(axis + 1));
  const channelOf = (i: number) => Math.floor(i / inner) % channels;

  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < data.length; i++) {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c], Math.abs(data[i]));
  }
  // A channel of zeros keeps scale 1 (any value reproduces it); fround so the quantizer divides
  // by exactly the scale DequantizeLinear will multiply by.
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? Math.fround(m / qmax) : 1));
  const values = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const q = roundHalfEven(data[i] / scales[channelOf(i)]);
    values[i] = Math.max(-qmax, Math.min(qmax, q));
  }
  return { values, scales, dims };
}
