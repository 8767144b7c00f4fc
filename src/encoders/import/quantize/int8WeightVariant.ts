// Weight-only int8: each quantized Conv/MatMul/Gemm weight becomes an int8 initializer plus
// per-channel scales feeding DequantizeLinear(axis) → the original op. Activations stay float,
// so every op keeps a WebGPU kernel (WebGPU has DequantizeLinear but no integer conv/matmul).
// On the CPU backends onnxruntime keeps the DequantizeLinear nodes unless the session sets
// `session.disable_quant_qdq = '1'`, when it folds them at load: measured 1.5–2× slower than fp32
// without it, fp32 speed with it.
import { GraphEditor, attr, defaultOpset, floatTensor, int8Tensor, pruneGraph } from '../../onnx/index.ts';
import { quantizableWeights, quantizePerChannel, type WeightSlot } from './int8Weights.ts';
import { cloneModel, type Model } from './onnxExtras.ts';

/** DequantizeLinear gained its `axis` (per-channel scales) in opset 13. */
const MIN_OPSET = 13;

export function buildInt8WeightVariant(source: Model): Model {
  const model = cloneModel(source);
  if (defaultOpset(model) < MIN_OPSET)
    throw new Error(`int8-weight needs opset ≥ ${MIN_OPSET}, the model has ${defaultOpset(model)}`);
  const graph = model.graph ?? {};
  const slots = quantizableWeights(graph);
  const editor = new GraphEditor(graph);
  /** `${weight}@${axis}` → its DequantizeLinear output, so a shared weight is stored once */
  const dequantized = new Map<string, string>();

  const dequantize = (slot: WeightSlot): string => {
    const weight = slot.weight.name ?? '';
    const key = `${weight}@${slot.axis}`;
    const known = dequantized.get(key);
    if (known) return known;
    const q = quantizePerChannel(slot.weight, slot.axis);
    const values = editor.addInitializer(int8Tensor(editor.uniqueName(`${weight}_int8`), q.dims, q.values));
    const scales = editor.addInitializer(
      floatTensor(editor.uniqueName(`${weight}_scale`), [q.scales.length], q.scales),
    );
    const output = editor.uniqueName(`${weight}_dequantized`);
    editor.addNode({
      op: 'DequantizeLinear',
      inputs: [values, scales],
      outputs: [output],
      name: editor.uniqueName(`${weight}_DequantizeLinear`),
      attributes: [attr.int('axis', slot.axis)],
    });
    dequantized.set(key, output);
    return output;
  };

  for (const [node, slot] of slots) {
    const inputs = [...(node.input ?? [])];
    inputs[slot.input] = dequantize(slot);
    node.input = inputs;
  }
  pruneGraph(graph); // topological order for the appended nodes; drops the replaced float weights
  return model;
}
