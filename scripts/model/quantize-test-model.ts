// A small seeded model for the quantize tests, with one of each case the variants treat
// differently: a stem conv and a depthwise conv (both too small or too early: kept float32),
// two quantized convs, a MatMul, a Gemm (transB) and the fp32-kept ReduceMean and Softmax.
import {
  DataType,
  GraphEditor,
  attr,
  createModel,
  createPrng,
  floatTensor,
  valueInfo,
  type onnx,
} from '../onnx/index.ts';
import type { CheckImage } from './variant-check-images.ts';

export const TEST_INPUT = { name: 'image', size: 16 };
export const TEST_OUTPUTS = ['features', 'vector', 'probabilities'];

export function buildQuantizeTestModel(seed = 7): onnx.IModelProto {
  const prng = createPrng(seed);
  const editor = new GraphEditor({ name: 'quantize_test' });
  const weight = (name: string, dims: number[], fanIn: number) => {
    const values = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () =>
      prng.symmetric(Math.sqrt(6 / fanIn)),
    );
    return editor.addInitializer(floatTensor(name, dims, values));
  };
  const bias = (name: string, n: number) =>
    editor.addInitializer(
      floatTensor(
        name,
        [n],
        Float32Array.from({ length: n }, () => prng.symmetric(0.1)),
      ),
    );
  const conv = (
    name: string,
    input: string,
    weights: string,
    biasName: string | null,
    group: number,
    kernel: number,
  ) => {
    editor.addNode({
      op: 'Conv',
      inputs: biasName ? [input, weights, biasName] : [input, weights],
      outputs: [name],
      name,
      attributes: [
        attr.int('group', group),
        attr.ints('kernel_shape', [kernel, kernel]),
        attr.ints('pads', Array(4).fill((kernel - 1) / 2)),
      ],
    });
    return name;
  };
  const relu = (name: string, input: string) => {
    editor.addNode({ op: 'Relu', inputs: [input], outputs: [name], name });
    return name;
  };

  const { name: image, size } = TEST_INPUT;
  editor.addInput(valueInfo(image, DataType.FLOAT, ['batch', 3, size, size]));
  const stem = relu('stem_relu', conv('stem', image, weight('stem_w', [16, 3, 3, 3], 27), bias('stem_b', 16), 1, 3));
  const wide = relu('wide_relu', conv('wide', stem, weight('wide_w', [64, 16, 3, 3], 144), bias('wide_b', 64), 1, 3));
  const depthwise = conv('depthwise', wide, weight('depthwise_w', [64, 1, 3, 3], 9), null, 64, 3);
  conv('features', depthwise, weight('pointwise_w', [64, 64, 1, 1], 64), bias('pointwise_b', 64), 1, 1);
  editor.addNode({
    op: 'ReduceMean',
    inputs: ['features'],
    outputs: ['pooled'],
    name: 'pool',
    attributes: [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)],
  });
  editor.addNode({
    op: 'MatMul',
    inputs: ['pooled', weight('project_w', [64, 96], 64)],
    outputs: ['vector'],
    name: 'project',
  });
  editor.addNode({
    op: 'Gemm',
    inputs: ['vector', weight('classify_w', [128, 96], 96), bias('classify_b', 128)],
    outputs: ['logits'],
    name: 'classify',
    attributes: [attr.int('transB', 1)],
  });
  editor.addNode({
    op: 'Softmax',
    inputs: ['logits'],
    outputs: ['probabilities'],
    name: 'softmax',
    attributes: [attr.int('axis', -1)],
  });
  editor.setOutputs([
    valueInfo('features', DataType.FLOAT, ['batch', 64, size, size]),
    valueInfo('vector', DataType.FLOAT, ['batch', 96]),
    valueInfo('probabilities', DataType.FLOAT, ['batch', 128]),
  ]);
  return createModel(editor.graph, { opset: 13 });
}

/** Seeded images in [0, 1], already at the test model's input size. */
export function testImages(count: number, seed = 11): CheckImage[] {
  const prng = createPrng(seed);
  const { size } = TEST_INPUT;
  return Array.from({ length: count }, (_, i) => ({
    name: `image${i}`,
    pixels: Float32Array.from({ length: 3 * size * size }, () => prng.uniform()),
  }));
}
