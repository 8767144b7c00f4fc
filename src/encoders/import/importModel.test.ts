// importModel on the fixture exports (public/models/fixture-*/export.onnx, written by `npm install`)
// with onnxruntime-node, and on what a user may give it instead. The byte-for-byte comparison with
// `npm run model -- tap` + `quantize` is scripts/model/import-folder.test.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DataType,
  GraphEditor,
  attr,
  createModel,
  createPrng,
  decodeModel,
  encodeModel,
  floatTensor,
  maxAbsDiff,
  type OpenFloatModel,
  randomFloatTensor,
  runOnce,
  valueInfo,
} from '../onnx/index.ts';
import type { RgbImage } from '../../engine/preprocess/index.ts';
import { openFloatModel } from '../../platform/node/openFloatModel.ts';
import {
  type CheckImageSource,
  type ImportedModel,
  ImportError,
  type ImportProgress,
  type ImportRequest,
  importModel,
} from './importModel.ts';
import { TapError } from './errors.ts';
import {
  CLIP,
  DINOV2,
  dinoV1,
  edited,
  exportBytes,
  fixtureManifest,
  modelsDir,
  withExternalData,
} from './exports.testing.ts';

/** Seeded noise images of an odd size, so the import resizes them as it does real ones. */
function noiseImages(count: number): CheckImageSource[] {
  return Array.from({ length: count }, (_, i) => {
    const prng = createPrng(700 + i);
    const [width, height] = [61, 47];
    const image: RgbImage = {
      data: Uint8Array.from({ length: width * height * 3 }, () => prng.uint32() & 0xff),
      width,
      height,
      channels: 3,
    };
    return { name: `noise${i}.png`, image };
  });
}

interface Run {
  files: [string, Uint8Array][];
  events: string[];
  progress: ImportProgress[];
}

/** importModel with onnxruntime-node, recording the files it hands over and every session opened. */
async function runImport(
  bytes: Uint8Array,
  overrides: Partial<ImportRequest> = {},
): Promise<Run & { result: ImportedModel }> {
  const run: Run = { files: [], events: [], progress: [] };
  const open: OpenFloatModel = (model) => {
    run.events.push('open');
    return openFloatModel(model);
  };
  const result = await importModel({
    bytes,
    fileName: 'my-export.onnx',
    id: 'imported',
    displayName: 'Imported',
    open,
    checkImages: noiseImages(3),
    sha256: async (b) => createHash('sha256').update(Buffer.concat(b)).digest('hex'),
    source: 'test',
    now: () => new Date('2025-01-02T03:04:05Z'),
    async onFile(file, b) {
      run.events.push(`file ${file}`);
      run.files.push([file, Buffer.concat(b)]);
    },
    onProgress: (p) => run.progress.push(p),
    ...overrides,
  });
  return { ...run, result };
}

/** The rejection of an import that must fail, with nothing handed over. */
async function importFailure(bytes: Uint8Array, overrides: Partial<ImportRequest> = {}): Promise<ImportError> {
  const files: string[] = [];
  const error = await importModel({
    bytes,
    fileName: 'my-export.onnx',
    id: 'imported',
    displayName: 'Imported',
    open: openFloatModel,
    checkImages: noiseImages(1),
    sha256: async () => '0'.repeat(64),
    source: 'test',
    async onFile(file) {
      files.push(file);
    },
    ...overrides,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(files).toEqual([]);
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

/** A text encoder's start: int64 token ids → embedding table (Gather) → LayerNorm. */
function textModel(): Uint8Array {
  const e = new GraphEditor({ name: 'text' });
  e.addInput(valueInfo('input_ids', DataType.INT64, ['batch', 'sequence']));
  e.addInitializer(floatTensor('token_embedding', [100, 8], new Float32Array(800).fill(0.1)));
  e.addInitializer(floatTensor('ln.weight', [8], new Float32Array(8).fill(1)));
  e.addInitializer(floatTensor('ln.bias', [8], new Float32Array(8)));
  e.addNode({ op: 'Gather', inputs: ['token_embedding', 'input_ids'], outputs: ['tokens'] });
  e.addNode({ op: 'LayerNormalization', inputs: ['tokens', 'ln.weight', 'ln.bias'], outputs: ['hidden'] });
  e.setOutputs([valueInfo('hidden', DataType.FLOAT)]);
  return encodeModel(createModel(e.graph, { opset: 17 }));
}

/** A small CNN: a 3×3 stride-2 stem, as in the image-classification trunks. */
function cnnModel(): Uint8Array {
  const e = new GraphEditor({ name: 'cnn' });
  e.addInput(valueInfo('image', DataType.FLOAT, [1, 3, 32, 32]));
  e.addInitializer(floatTensor('w', [8, 3, 3, 3], new Float32Array(8 * 27).fill(0.01)));
  e.addNode({
    op: 'Conv',
    inputs: ['image', 'w'],
    outputs: ['c'],
    attributes: [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
  });
  e.addNode({ op: 'Relu', inputs: ['c'], outputs: ['r'] });
  e.setOutputs([valueInfo('r', DataType.FLOAT)]);
  return encodeModel(createModel(e.graph, { opset: 17 }));
}

describe.each([
  { id: CLIP, family: 'clip', runs: 2 },
  { id: DINOV2, family: 'dinov2', runs: 1 },
])('importModel on $id', ({ id, family, runs }) => {
  it('finds the family, taps like the fixture built directly and hands over model.onnx, then each passing variant', async () => {
    const { result, files, events, progress } = await runImport(exportBytes(id));
    const { manifest } = result;
    const fixture = fixtureManifest(id);
    expect(manifest.family).toBe(family);
    expect(manifest).toMatchObject({ id: 'imported', displayName: 'Imported', fixture: false, source: 'test' });
    expect(manifest.license).toBe('unknown: see the source export');
    expect(manifest.input).toEqual(fixture.input);
    expect(manifest.taps).toEqual(fixture.taps);
    expect(manifest.embedding).toEqual(fixture.embedding);

    // the tapped model computes exactly what the directly built fixture does
    const [first, fp32] = files[0];
    expect(first).toBe('model.onnx');
    const feeds = { pixel_values: randomFloatTensor([2, 3, fixture.input.size, fixture.input.size], 5) };
    const run = runOnce(openFloatModel);
    const installed = decodeModel(readFileSync(resolve(modelsDir, id, 'model.onnx')));
    const [got, want] = [await run(decodeModel(fp32), feeds), await run(installed, feeds)];
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const name of Object.keys(want)) expect(maxAbsDiff(got[name], want[name]), name).toBe(0);

    // the files are the manifest's, in its order, each with its size and sha256
    expect(files.map(([f]) => f)).toEqual(manifest.variants.map((v) => v.file));
    for (const [i, [, bytes]] of files.entries()) {
      expect(manifest.variants[i].bytes).toBe(bytes.length);
      expect(manifest.variants[i].sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(manifest.variants.map((v) => v.dtype)).toEqual(expect.arrayContaining(['fp32', 'fp16', 'int8-weight']));
    for (const v of manifest.variants.slice(1))
      expect(v.check).toMatchObject({ images: 3, checkedAt: '2025-01-02T03:04:05.000Z' });

    // the tap runs come first, model.onnx only once they passed; then one session per checked model
    expect(events.slice(0, runs + 1)).toEqual([...Array<string>(runs).fill('open'), 'file model.onnx']);
    expect(events.filter((e) => e === 'open')).toHaveLength(runs + 1 + 3 + 1); // fp32 reference, 3 variants, fp16's twin

    expect(result.lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^structure: 4 blocks/),
      expect.stringMatching(/^taps: layer_0, layer_1, layer_2, layer_3: /),
      expect.stringMatching(/^embedding: image_embedding /),
    ]);
    expect(result.lines.slice(3).map((l) => l.split(':')[0])).toEqual([
      'imported fp16',
      'imported int8-weight',
      'imported int8-dynamic',
    ]);
    expect(result.tap).toMatchObject({ family, blockCount: 4, taps: manifest.taps });
    expect(progress.map((p) => `${p.stage} ${p.done}/${p.total}`)).toEqual([
      'parse 0/1',
      'parse 1/1',
      'tap 0/1',
      'tap 1/1',
      'variants 0/4',
      'variants 1/4',
      'variants 2/4',
      'variants 3/4',
      'variants 4/4',
    ]);
  });
});

describe('importModel options', () => {
  it('without check images hands over model.onnx alone and says why', async () => {
    const lines: string[] = [];
    const { result, files } = await runImport(exportBytes(DINOV2), { checkImages: [], onLine: (l) => lines.push(l) });
    expect(files.map(([f]) => f)).toEqual(['model.onnx']);
    expect(result.manifest.variants.map((v) => v.dtype)).toEqual(['fp32']);
    expect(result.lines.at(-1)).toBe(
      'quantized variants skipped: no check images were given, so imported is offered in fp32 only',
    );
    expect(lines).toEqual(result.lines);
  });

  it('taps a DINO (v1) export through its final LayerNorm, and the blocks asked for', async () => {
    const { result } = await runImport(dinoV1(), { dtypes: [], layers: [3, 1] });
    expect(result.manifest.family).toBe('dino');
    expect(result.manifest.taps.map((t) => t.name)).toEqual(['layer_1', 'layer_3']);
    expect(result.lines[1]).toMatch(/through the final LayerNorm$/);
  });

  it('taps a dynamic-size export at the size given', async () => {
    const dynamic = edited(DINOV2, (model) => {
      model.graph = {
        ...model.graph,
        input: [valueInfo('pixel_values', DataType.FLOAT, ['batch_size', 3, 'height', 'width'])],
      };
    });
    const { result } = await runImport(dynamic, { dtypes: [], size: 112 });
    expect(result.manifest.input.size).toBe(112);
    const error = await importFailure(dynamic);
    expect(error.code).toBe('dynamic-shape');
    expect(error.message).toBe(
      'my-export.onnx takes images of any size (its input pixel_values is [batch_size, 3, height, width]), so the shapes of its taps cannot be read without one: give the input size in pixels, a multiple of its patch size 14 (the size the model was trained at, such as 224).',
    );
    expect(error.cause).toBeInstanceOf(TapError);
  });

  it('an export with its weights in an external-data file gives the files of the same export with them inside', async () => {
    const { graph, data } = withExternalData(CLIP, 'my-export.onnx_data');
    const outside = await runImport(graph, { dataFiles: new Map([['my-export.onnx_data', data]]) });
    const inside = await runImport(exportBytes(CLIP));
    expect(outside.files.map(([f]) => f)).toEqual(inside.files.map(([f]) => f));
    outside.files.forEach(([name, bytes], i) => expect(Buffer.compare(bytes, inside.files[i][1]), name).toBe(0));
    expect(outside.result.manifest).toEqual(inside.result.manifest);
  });

  it('an external-data file shorter than the graph reads of it is cut short, naming it', async () => {
    const { graph, data } = withExternalData(CLIP, 'my-export.onnx_data');
    const error = await importFailure(graph, {
      dataFiles: new Map([['my-export.onnx_data', data.subarray(0, data.length - 100)]]),
    });
    expect([error.code, error.message]).toEqual([
      'truncated',
      expect.stringMatching(
        /^my-export\.onnx_data is cut short: my-export\.onnx reads \d+ bytes of it from byte \d+, and it has \d+\. Copy the whole export again\.$/,
      ),
    ]);
  });
});

describe('importModel refuses what it cannot import, naming the file, before handing anything over', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const prng = createPrng(3);
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    [
      'random bytes',
      () => Uint8Array.from({ length: 4096 }, () => prng.uint32() & 0xff),
      'not-onnx',
      /^my-export\.onnx is not an ONNX model: its bytes are not an ONNX model\. Choose the \.onnx file/,
    ],
    ['a PNG', () => png, 'not-onnx', /^my-export\.onnx is not an ONNX model: it is a PNG image\./],
    [
      'a text file',
      () => new TextEncoder().encode('{"architectures": ["CLIPModel"]}\n'),
      'not-onnx',
      /^my-export\.onnx is not an ONNX model: it is a text file\./,
    ],
    ['an empty file', () => new Uint8Array(0), 'not-onnx', /^my-export\.onnx is empty \(0 bytes\)/],
    [
      'an export cut in half',
      () => {
        const b = exportBytes(CLIP);
        return b.subarray(0, b.length >> 1);
      },
      'truncated',
      /^my-export\.onnx is cut short: it starts like an ONNX model but its \d+ bytes end before its contents do\. Copy or download the whole file again\.$/,
    ],
    [
      'a CNN',
      cnnModel,
      'not-a-vit',
      /^my-export\.onnx is not a ViT image encoder MuScope can import: the first Conv \(kernel \[3,3\], strides \[2,2\]\) is not a square patch embedding\. Add the ONNX export of a CLIP or DINO vision model alone/,
    ],
    [
      'a text model',
      textModel,
      'not-a-vit',
      /^my-export\.onnx is not a ViT image encoder MuScope can import: input input_ids is int64, not float32 pixels\./,
    ],
    [
      'weights in an external-data file not given',
      () => withExternalData(CLIP, 'my-export.onnx_data').graph,
      'missing-data',
      /^my-export\.onnx keeps its weights in a separate file, my-export\.onnx_data, which was not given with it: choose my-export\.onnx and that file together/,
    ],
    [
      'CLIPVisionModel (no projection)',
      () =>
        edited(CLIP, (m) => {
          const g = m.graph ?? {};
          g.node = (g.node ?? []).filter((n) => n.name !== '/visual_projection/MatMul');
          g.output = [valueInfo('last_hidden_state', DataType.FLOAT)];
        }),
      'unsupported',
      /^my-export\.onnx cannot be imported: no visual projection after post_layernorm: export CLIPVisionModelWithProjection, not CLIPVisionModel\.$/,
    ],
  ];

  it.each(cases)('%s', async (_, bytes, code, message) => {
    const error = await importFailure(bytes());
    expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
  });

  it('the CNN trunk installed beside the fixtures', async () => {
    const trunk = readFileSync(resolve(modelsDir, 'mobilenetv2-imagenet-trunk/model.onnx'));
    const error = await importFailure(trunk, { fileName: 'mobilenet.onnx' });
    expect(error.code).toBe('not-a-vit');
    expect(error.message).toMatch(/^mobilenet\.onnx is not a ViT image encoder MuScope can import: /);
  });

  it('an export of another family than the one asked for, saying which it is', async () => {
    const error = await importFailure(exportBytes(CLIP), { family: 'dinov2' });
    expect(error.code).toBe('not-a-vit');
    expect(error.message).toBe(
      'my-export.onnx is a CLIP export (a LayerNorm before the first block and a projection after the last), not DINOv2: import it as CLIP.',
    );
    // the CLI prints what the graph search said, which names its --family option
    expect((error.cause as Error).message).toMatch(/^no LayerNorm on the last block output.*use --family clip/);
  });

  it('a fixed-size export asked for at another size', async () => {
    const error = await importFailure(exportBytes(DINOV2), { size: 224 });
    expect([error.code, error.message]).toEqual([
      'unsupported',
      'my-export.onnx takes 112×112 px images only, so it cannot be tapped at 224 px: leave the size out.',
    ]);
  });

  it('a model the runtime cannot run', async () => {
    const failing: OpenFloatModel = async () => {
      throw new Error('Load model failed: unsupported op\nstack');
    };
    const error = await importFailure(exportBytes(DINOV2), { open: failing });
    expect([error.code, error.message]).toEqual([
      'unsupported',
      expect.stringMatching(
        /^my-export\.onnx could not be run by onnxruntime at 112 px \(Load model failed: unsupported op\)\./,
      ),
    ]);
  });
});

describe('importModel stops when aborted', () => {
  const abortError = expect.objectContaining({ name: 'AbortError' });

  it('before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(importFailureOrReason(exportBytes(CLIP), controller.signal)).resolves.toEqual({
      files: [],
      error: abortError,
    });
  });

  it('while tapping: nothing is handed over', async () => {
    const controller = new AbortController();
    const run = importFailureOrReason(exportBytes(CLIP), controller.signal, (p) => {
      if (p.stage === 'tap') controller.abort();
    });
    await expect(run).resolves.toEqual({ files: [], error: abortError });
  });

  it('between variants: what was handed over stays the caller’s to drop', async () => {
    const controller = new AbortController();
    const run = importFailureOrReason(exportBytes(CLIP), controller.signal, (p) => {
      if (p.stage === 'variants' && p.done === 2) controller.abort();
    });
    await expect(run).resolves.toEqual({ files: ['model.onnx', 'model.fp16.onnx'], error: abortError });
  });
});

async function importFailureOrReason(
  bytes: Uint8Array,
  signal: AbortSignal,
  onProgress?: (p: ImportProgress) => void,
): Promise<{ files: string[]; error: unknown }> {
  const files: string[] = [];
  const error = await runImport(bytes, {
    signal,
    onProgress,
    async onFile(file) {
      files.push(file);
    },
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DOMException);
  return { files, error };
}
