import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import {
  DataType,
  GraphIndex,
  createPrng,
  decodeModel,
  encodeModel,
  floatTensor,
  intAttr,
  readFloats,
  sha256Hex,
  tensorDims,
  type onnx,
} from '../onnx/index.ts';
import { buildVariant, type QuantizedDtype, variantFileName } from '../../src/encoders/import/quantize/variants.ts';
import { emulateFloat16Storage } from '../../src/encoders/import/quantize/fp16Emulation.ts';
import { compareOutputs, type ModelOutputs } from '../../src/encoders/import/variantCheck.ts';
import { quantizeModel } from './quantize.ts';
import { TEST_INPUT, TEST_OUTPUTS, buildQuantizeTestModel, testImages } from './quantize-test-model.ts';
import { runOutputs } from './variant-check.ts';

const fp32 = encodeModel(buildQuantizeTestModel());
/** The variant file as `npm run model -- quantize` writes it from the fp32 file. */
const variantFile = (dtype: QuantizedDtype): Uint8Array => encodeModel(buildVariant(decodeModel(fp32), dtype));
const images = testImages(4);
const names = images.map((i) => i.name);
let reference: ModelOutputs;

beforeAll(async () => {
  reference = await runOutputs(fp32, TEST_INPUT, TEST_OUTPUTS, images);
});

const run = (model: Uint8Array) => runOutputs(model, TEST_INPUT, TEST_OUTPUTS, images);

/** Largest |variant − fp32| over all values of an output, relative to the output's largest |fp32|. */
function maxRelativeError(candidate: ModelOutputs, output: number): number {
  let err = 0;
  let scale = 0;
  reference.forEach((ref, image) => {
    ref[output].forEach((v, i) => {
      err = Math.max(err, Math.abs(v - candidate[image][output][i]));
      scale = Math.max(scale, Math.abs(v));
    });
  });
  return err / scale;
}

/** The producer of input `slot` of the node named (or writing the tensor) `node`. */
function producerOfInput(graph: onnx.IGraphProto, node: string, slot: number): onnx.INodeProto | undefined {
  const index = new GraphIndex(graph);
  const reader = index.nodes.find((n) => n.name === node || n.output?.includes(node));
  return reader ? index.producer(reader.input?.[slot] ?? '') : undefined;
}

describe('int8-weight variant', () => {
  const bytes = variantFile('int8-weight');
  const graph = decodeModel(bytes).graph ?? {};
  const index = new GraphIndex(graph);

  it('feeds DequantizeLinear(int8, per-channel scales) into the quantized ops and keeps stem and small weights float', () => {
    const expectations: [string, number, number][] = [
      ['wide', 0, 64],
      ['features', 0, 64],
      ['project', 1, 96],
      ['classify', 0, 128], // Gemm transB: output channels are rows
    ];
    for (const [node, axis, channels] of expectations) {
      const dq = producerOfInput(graph, node, 1);
      expect(dq?.opType, node).toBe('DequantizeLinear');
      expect(intAttr(dq ?? {}, 'axis')).toBe(axis);
      expect(index.initializer(dq?.input?.[0] ?? '')?.dataType).toBe(DataType.INT8);
      expect(tensorDims(index.initializer(dq?.input?.[1] ?? '') ?? {})).toEqual([channels]);
    }
    for (const node of ['stem', 'depthwise']) {
      expect(producerOfInput(graph, node, 1)).toBeUndefined();
      expect(index.initializer(index.nodes.find((n) => n.name === node)?.input?.[1] ?? '')?.dataType).toBe(
        DataType.FLOAT,
      );
    }
    expect(index.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(4);
  });

  it('stays within 2% (max relative error) and cosine 0.9995 of fp32', async () => {
    const outputs = await run(bytes);
    // measured: max relative error 0.5–1.1%, cosine ≥ 0.99993
    TEST_OUTPUTS.forEach((_, o) => expect(maxRelativeError(outputs, o)).toBeLessThan(0.02));
    expect(compareOutputs(reference, outputs, TEST_OUTPUTS, names).minTapCosine).toBeGreaterThan(0.9995);
  });
});

describe('fp16 variant', () => {
  const bytes = variantFile('fp16');
  const graph = decodeModel(bytes).graph ?? {};
  const index = new GraphIndex(graph);

  it('stores every weight as float16 and keeps float32 at the graph boundary and around ReduceMean/Softmax', () => {
    expect((graph.initializer ?? []).map((t) => t.dataType)).toEqual(
      (graph.initializer ?? []).map(() => DataType.FLOAT16),
    );
    expect([...(graph.input ?? []), ...(graph.output ?? [])].map((v) => v.type?.tensorType?.elemType)).toEqual([
      1, 1, 1, 1,
    ]);
    const castTo = (node: onnx.INodeProto | undefined) => (node?.opType === 'Cast' ? intAttr(node, 'to') : undefined);
    expect(index.consumers(TEST_INPUT.name).map(castTo)).toEqual([DataType.FLOAT16]);
    for (const output of TEST_OUTPUTS.filter((o) => o !== 'probabilities'))
      expect(castTo(index.producer(output))).toBe(DataType.FLOAT);
    expect(castTo(producerOfInput(graph, 'pooled', 0))).toBe(DataType.FLOAT);
    expect(castTo(producerOfInput(graph, 'probabilities', 0))).toBe(DataType.FLOAT);
    expect(index.producer('probabilities')?.opType).toBe('Softmax'); // computed in fp32 already
  });

  // onnxruntime's CPU EP computes this file in float32 (it inserts Casts), so it shows weight rounding only
  it('stays within 0.2% (max relative error) and cosine 0.99999 of fp32 on CPU', async () => {
    const outputs = await run(bytes);
    // measured: max relative error 0.03–0.09%, cosine ≥ 0.9999997
    TEST_OUTPUTS.forEach((_, o) => expect(maxRelativeError(outputs, o)).toBeLessThan(0.002));
    expect(compareOutputs(reference, outputs, TEST_OUTPUTS, names).minTapCosine).toBeGreaterThan(0.99999);
  });

  it('stays close to fp32 with every fp16 tensor rounded to fp16 (storage twin), and no closer than the file on CPU', async () => {
    const file = await run(bytes);
    const twin = await run(encodeModel(emulateFloat16Storage(decodeModel(bytes))));
    // measured: max relative error 0.05–0.34% (probabilities: exp of fp16-rounded logits), cosine ≥ 0.999996
    TEST_OUTPUTS.forEach((_, o) => expect(maxRelativeError(twin, o)).toBeLessThan(0.005));
    expect(compareOutputs(reference, twin, TEST_OUTPUTS, names).minTapCosine).toBeGreaterThan(0.9999);
    // the twin rounds activations too, so it must differ from the file's CPU result
    expect(compareOutputs(file, twin, TEST_OUTPUTS, names).minTapCosine).toBeLessThan(1 - 1e-9);
  });
});

describe('int8-dynamic variant', () => {
  const bytes = variantFile('int8-dynamic');
  const index = new GraphIndex(decodeModel(bytes).graph ?? {});
  const count = (op: string) => index.nodes.filter((n) => n.opType === op).length;

  it('turns the quantized convs and the MatMul into integer ops on dynamically quantized activations', () => {
    expect([count('ConvInteger'), count('MatMulInteger'), count('DynamicQuantizeLinear')]).toEqual([2, 1, 3]);
    expect([count('Conv'), count('MatMul'), count('Gemm')]).toEqual([2, 0, 1]); // stem + depthwise, Gemm kept
    for (const n of index.nodes.filter((n) => n.opType === 'ConvInteger' || n.opType === 'MatMulInteger')) {
      expect(index.initializer(n.input?.[1] ?? '')?.dataType).toBe(DataType.INT8);
    }
  });

  it('stays within 3% (max relative error) and cosine 0.999 of fp32', async () => {
    const outputs = await run(bytes);
    // measured with 7-bit weights (AMD EPYC, AVX2): max relative error 1.3–1.9%, cosine 0.99984
    TEST_OUTPUTS.forEach((_, o) => expect(maxRelativeError(outputs, o)).toBeLessThan(0.03));
    expect(compareOutputs(reference, outputs, TEST_OUTPUTS, names).minTapCosine).toBeGreaterThan(0.999);
  });
});

describe('the check', () => {
  it('rejects an int8-weight variant whose scales are 10× too large on half the channels', async () => {
    const model = decodeModel(variantFile('int8-weight'));
    const index = new GraphIndex(model.graph ?? {});
    const scales = index.initializer(producerOfInput(model.graph ?? {}, 'wide', 1)?.input?.[1] ?? '');
    if (!scales) throw new Error('no scales for the wide conv');
    const broken = readFloats(scales).map((s, c) => (c % 2 === 0 ? s * 10 : s));
    scales.rawData = floatTensor('', [broken.length], broken).rawData;

    const report = compareOutputs(reference, await run(encodeModel(model)), TEST_OUTPUTS, names);
    expect(report.passed).toBe(false);
    expect(report.minTapCosine).toBeLessThan(0.99);
    expect(report.failure).toMatch(/cosine .* < 0\.99 against fp32/);
  });
});

describe('quantizeModel', () => {
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'muscope-quantize-'));
    await writeFile(join(dir, 'model.onnx'), fp32);
    const manifest: ModelManifest = {
      schema: 1,
      id: 'quantize-test',
      displayName: 'quantize test',
      family: 'cnn',
      fixture: true,
      license: 'test',
      source: 'quantize-test-model.ts',
      input: {
        name: TEST_INPUT.name,
        size: TEST_INPUT.size,
        layout: 'nchw',
        resize: 'bilinear',
        normalization: { insideGraph: true, mean: [0, 0, 0], std: [1, 1, 1] },
      },
      taps: [{ name: 'features', layout: 'nchw', grid: TEST_INPUT.size, dim: 64, hasCls: false, registers: 0 }],
      embedding: { name: 'vector', source: 'output', dim: 96, normalized: false, l2Normalize: true },
      variants: [
        {
          dtype: 'fp32',
          file: 'model.onnx',
          bytes: fp32.length,
          sha256: sha256Hex(fp32),
          backends: ['webgpu', 'wasm', 'node'],
        },
      ],
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    for (let i = 0; i < 3; i++) {
      // seeded noise as an image twice the input size, so loading resizes as it does for real images
      const side = 2 * TEST_INPUT.size;
      const prng = createPrng(100 + i);
      const pixels = Buffer.from(Array.from({ length: side * side * 3 }, () => prng.uint32() & 0xff));
      await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
        .png()
        .toFile(join(dir, `check${i}.png`));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const checkImages = () => [0, 1, 2].map((i) => join(dir, `check${i}.png`));
  const quantize = (minTapCosine?: number) =>
    quantizeModel(dir, {
      dtypes: ['fp16', 'int8-weight', 'int8-dynamic'],
      checkImages: checkImages(),
      minTapCosine,
      log: (l) => logs.push(l),
    });

  it('records each checked variant with its file, size, sha256, backends and check', async () => {
    const manifest = await quantize();
    expect(manifest.variants.map((v) => v.dtype)).toEqual(['fp32', 'fp16', 'int8-weight', 'int8-dynamic']);
    for (const v of manifest.variants.slice(1)) {
      const bytes = await readFile(join(dir, v.file));
      expect(v.file).toBe(variantFileName('model.onnx', v.dtype as 'fp16'));
      expect([v.bytes, v.sha256]).toEqual([bytes.length, sha256Hex(bytes)]);
      expect(v.check?.images).toBe(3);
      expect(v.check?.minTapCosine).toBeGreaterThanOrEqual(0.99);
    }
    expect(manifest.variants[1]).toMatchObject({ backends: ['webgpu'], requiresFeature: 'shader-f16' });
    expect(manifest.variants[3].backends).toEqual(['wasm', 'node']);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
  });

  it('rebuilds byte-identical variant files', async () => {
    const first = (await quantize()).variants.map((v) => v.sha256);
    const second = (await quantize()).variants.map((v) => v.sha256);
    expect(second).toEqual(first);
    expect(variantFile('fp16')).toEqual(variantFile('fp16'));
  });

  it('does not record (and removes) variants that fail the check', async () => {
    const manifest = await quantize(1.01);
    expect(manifest.variants.map((v) => v.dtype)).toEqual(['fp32']);
    await expect(readFile(join(dir, 'model.fp16.onnx'))).rejects.toThrow();
    expect(logs.filter((l) => l.includes('NOT recorded'))).toHaveLength(3);
  });
});
