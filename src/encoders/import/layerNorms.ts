// LayerNorms in either form an exporter writes: one LayerNormalization node (opset ≥ 17), or the
// decomposition older opsets get: ReduceMean → Sub → Pow → ReduceMean → Add(eps) → Sqrt → Div →
// Mul(weight) → Add(bias).
import { type GraphIndex, nodeInputs, nodeOutputs, type onnx } from '../onnx/index.ts';

export interface NormRegion {
  input: string;
  output: string;
  /** the region's nodes in order; constants they read (weight, bias, eps) are shared, not included */
  nodes: onnx.INodeProto[];
}

const out = (node: onnx.INodeProto): string => nodeOutputs(node)[0] ?? '';

/** The one consumer of `tensor` with this op whose inputs pass `accept`. */
function next(
  index: GraphIndex,
  tensor: string,
  op: string,
  accept: (inputs: string[]) => boolean = () => true,
): onnx.INodeProto | undefined {
  return index.consumers(tensor).find((n) => n.opType === op && accept(nodeInputs(n)));
}

function decomposedFrom(index: GraphIndex, mean: onnx.INodeProto): NormRegion | undefined {
  const x = nodeInputs(mean)[0];
  const sub = next(index, out(mean), 'Sub', ([a, b]) => a === x && b === out(mean));
  if (!sub) return undefined;
  const pow = next(index, out(sub), 'Pow');
  const variance = pow && next(index, out(pow), 'ReduceMean');
  const addEps = variance && next(index, out(variance), 'Add', (inputs) => inputs.some((i) => index.constant(i)));
  const sqrt = addEps && next(index, out(addEps), 'Sqrt');
  const div = sqrt && next(index, out(sub), 'Div', ([a, b]) => a === out(sub) && b === out(sqrt));
  const scale = div && next(index, out(div), 'Mul', (inputs) => inputs.some((i) => index.constant(i)));
  const shift = scale && next(index, out(scale), 'Add', (inputs) => inputs.some((i) => index.constant(i)));
  if (!pow || !variance || !addEps || !sqrt || !div || !scale || !shift) return undefined;
  return { input: x, output: out(shift), nodes: [mean, sub, pow, variance, addEps, sqrt, div, scale, shift] };
}

export function findLayerNorms(index: GraphIndex): NormRegion[] {
  const regions: NormRegion[] = [];
  for (const node of index.nodes) {
    if (node.opType === 'LayerNormalization')
      regions.push({ input: nodeInputs(node)[0], output: out(node), nodes: [node] });
    if (node.opType === 'ReduceMean') {
      const region = decomposedFrom(index, node);
      if (region) regions.push(region);
    }
  }
  return regions;
}
