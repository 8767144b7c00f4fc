import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { randomValues, seededRandom } from '../random.ts';
import { GEMM_INPUT_A, GEMM_INPUT_B, GEMM_OUTPUT, gemmTransBModel } from './gemmModel.ts';
import { createOrtMatmulKernel } from './ortKernel.ts';
import { matmulT, tsKernel } from './tsKernel.ts';

function naiveMatmulT(a: Float32Array, m: number, b: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < dim; k++) out[i * n + j] += a[i * dim + k] * b[j * dim + k];
    }
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(tolerance);
}

describe('tsKernel', () => {
  it('computes A·Bᵀ (hand case)', async () => {
    const a = Float32Array.of(1, 2, 3, 4); // [[1,2],[3,4]]
    const b = Float32Array.of(1, 0, 0, 1, 1, 1); // [[1,0],[0,1],[1,1]]
    expect(Array.from(await tsKernel.matmulT(a, 2, b, 3, 2))).toEqual([1, 2, 3, 3, 4, 7]);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [5, 70, 33], // odd rows, a partial 64-row slab and a partial 4-column tile
    [8, 131, 16],
  ])('matches a naive product for m=%i n=%i dim=%i', (m, n, dim) => {
    const random = seededRandom(m * 1000 + n);
    const a = randomValues(m * dim, random);
    const b = randomValues(n * dim, random);
    expectClose(matmulT(a, m, b, n, dim), naiveMatmulT(a, m, b, n, dim), 1e-5);
  });
});

describe('gemmTransBModel', () => {
  it('encodes one Gemm(transB = 1) node with dynamic float inputs', () => {
    const model = onnx.ModelProto.decode(gemmTransBModel());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const graph = model.graph as onnx.IGraphProto;
    const [node] = graph.node ?? [];
    expect(node.opType).toBe('Gemm');
    expect(node.input).toEqual([GEMM_INPUT_A, GEMM_INPUT_B]);
    expect(node.output).toEqual([GEMM_OUTPUT]);
    expect(node.attribute?.map((at) => [at.name, Number(at.i), at.type])).toEqual([
      ['transB', 1, onnx.AttributeProto.AttributeType.INT],
    ]);
    const dims = (info: onnx.IValueInfoProto): string[] =>
      (info.type?.tensorType?.shape?.dim ?? []).map((d) => String(d.dimParam));
    expect(graph.input?.map((i) => [i.name, i.type?.tensorType?.elemType, dims(i)])).toEqual([
      [GEMM_INPUT_A, onnx.TensorProto.DataType.FLOAT, ['m', 'k']],
      [GEMM_INPUT_B, onnx.TensorProto.DataType.FLOAT, ['n', 'k']],
    ]);
    expect(graph.output?.map((o) => [o.name, dims(o)])).toEqual([[GEMM_OUTPUT, ['m', 'n']]]);
  });
});

describe('createOrtMatmulKernel (onnxruntime-node)', () => {
  it('matches tsKernel on offset views and reuses its session across shapes', async () => {
    const kernel = createOrtMatmulKernel(ort, { intraOpNumThreads: 1 });
    const random = seededRandom(7);
    for (const [m, n, dim] of [
      [196, 392, 64],
      [3, 5, 7],
    ]) {
      const backing = randomValues((m + 2) * dim, random);
      const a = backing.subarray(2 * dim); // a view with a byte offset, as MSM passes
      const b = randomValues(n * dim, random);
      expectClose(await kernel.matmulT(a, m, b, n, dim), matmulT(a, m, b, n, dim), 1e-5);
    }
  });
});
