// A small graph for the tests of the ONNX library here and in scripts/onnx (which runs it in onnxruntime-node).
import { DataType, GraphEditor, attr, createModel, floatTensor, type onnx, valueInfo } from './index.ts';

/** y = LayerNorm(x) · 2 + c, with an unused branch z = Relu(x) */
export function smallModel(opset = 17): onnx.IModelProto {
  const e = new GraphEditor({ name: 'small' });
  e.addInput(valueInfo('x', DataType.FLOAT, ['batch', 4]));
  e.addInitializer(floatTensor('ln.weight', [4], [1, 1, 1, 1]));
  e.addInitializer(floatTensor('ln.bias', [4], [0, 0, 0, 0]));
  e.addInitializer(floatTensor('c', [4], [0.5, -0.5, 1, 0]));
  e.addInitializer(floatTensor('unused', [1], [7]));
  e.addNode({
    op: 'LayerNormalization',
    inputs: ['x', 'ln.weight', 'ln.bias'],
    outputs: ['n'],
    name: 'ln',
    attributes: [attr.int('axis', -1), attr.float('epsilon', 1e-5)],
  });
  const two = e.addConstant('two', floatTensor('', [], [2]), 'two_node');
  e.addNode({ op: 'Mul', inputs: ['n', two], outputs: ['m'], name: 'mul' });
  e.addNode({ op: 'Add', inputs: ['m', 'c'], outputs: ['y'], name: 'add' });
  e.addNode({ op: 'Relu', inputs: ['x'], outputs: ['z'], name: 'relu' });
  e.setOutputs([valueInfo('y', DataType.FLOAT, ['batch', 4])]);
  return createModel(e.graph, { opset });
}
