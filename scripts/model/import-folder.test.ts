// The page's import and the command line give the same model: importModel with onnxruntime-node and
// the default check images against `npm run model -- tap` then `quantize`, file for file; and the
// command line's own behaviour around importModel (its errors, a re-import into a folder).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { model } from './modelCli.testing.ts';
import type { ModelManifest, WebGpuInstallCheck } from '../../src/encoders/manifest.ts';
import { importModel } from '../../src/encoders/import/importModel.ts';
import { openFloatModel } from '../../src/platform/node/openFloatModel.ts';
import { buildVitModel } from '../fixtures/vit-graph.ts';
import { clipFixture, dinov2Fixture } from '../fixtures/specs.ts';
import { encodeModel, sha256Hex } from '../onnx/index.ts';
import { importIntoFolder } from './import-folder.ts';
import { CLIP, modelsDir, withExternalData } from '../../src/encoders/import/exports.testing.ts';
import { decodeCheckImages, defaultCheckImageDir, selectCheckImages } from './variant-check-images.ts';

/** The manifest without what differs by design: when each variant was checked, and the provenance text. */
function comparable(manifest: ModelManifest): unknown {
  return {
    ...manifest,
    source: undefined,
    variants: manifest.variants.map((v) => ({ ...v, check: v.check && { ...v.check, checkedAt: undefined } })),
  };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'import-folder-'));
  await writeFile(join(work, 'clip.onnx'), encodeModel(buildVitModel(clipFixture, { form: 'export' })));
  await writeFile(join(work, 'dinov2.onnx'), encodeModel(buildVitModel(dinov2Fixture, { form: 'export' })));
});

describe.skipIf(!existsSync(defaultCheckImageDir()))('importModel and `tap` + `quantize`', () => {
  it.each([
    { file: 'clip.onnx', family: ['--family', 'clip'] },
    { file: 'dinov2.onnx', family: [] }, // the CLI finds the family by structure, as the page does
  ])('give byte-identical files and the same manifest for $file', async ({ file, family }) => {
    const out = join(work, `cli-${file}`);
    const tapped = await model('tap', join(work, file), ...family, '--out', out);
    expect(tapped.code, tapped.stderr).toBe(0);
    const quantized = await model('quantize', out);
    expect(quantized.code, quantized.stderr).toBe(0);

    const files = new Map<string, Uint8Array>();
    const bytes = await readFile(join(work, file));
    const { manifest } = await importModel({
      bytes,
      fileName: file,
      id: `cli-${file}`,
      displayName: `cli-${file}`,
      open: openFloatModel,
      checkImages: await decodeCheckImages(await selectCheckImages(defaultCheckImageDir())),
      sha256: async (b) => sha256Hex(b),
      source: 'the page',
      async onFile(name, b) {
        files.set(name, Buffer.concat(b));
      },
    });

    const cli = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ModelManifest;
    expect(comparable(manifest)).toEqual(comparable(cli));
    expect(manifest.variants.map((v) => v.dtype)).toEqual(expect.arrayContaining(['fp32', 'fp16', 'int8-weight']));
    expect((await readdir(out)).sort()).toEqual([...files.keys(), 'manifest.json'].sort());
    for (const [name, b] of files) expect(Buffer.compare(await readFile(join(out, name)), b), name).toBe(0);
  });
});

describe('the command line around importModel', () => {
  it('reads an export’s external-data file from beside it, and names it when it is missing', async () => {
    const { graph, data } = withExternalData(CLIP, 'weights.bin');
    const dir = join(work, 'external');
    await mkdir(dir);
    await writeFile(join(dir, 'clip.onnx'), graph);
    await writeFile(join(dir, 'weights.bin'), data);
    const [outside, inside] = [join(work, 'tap-outside'), join(work, 'tap-inside')];
    expect((await model('tap', join(dir, 'clip.onnx'), '--out', outside)).code).toBe(0);
    expect((await model('tap', join(modelsDir, CLIP, 'export.onnx'), '--out', inside)).code).toBe(0);
    const [a, b] = [await readFile(join(outside, 'model.onnx')), await readFile(join(inside, 'model.onnx'))];
    expect(Buffer.compare(a, b)).toBe(0);

    await rm(join(dir, 'weights.bin'));
    const missing = await model('tap', join(dir, 'clip.onnx'), '--out', join(work, 'never'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      'model tap: clip.onnx keeps its weights in a separate file, weights.bin, which was not given with it: choose clip.onnx and that file together (all the files of the export).',
    ]);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('says in one line that a file is no ONNX model, naming it', async () => {
    const png = join(work, 'photo.onnx');
    await writeFile(png, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const result = await model('tap', png, '--out', join(work, 'never'));
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'model tap: photo.onnx is not an ONNX model: it is a PNG image. Choose the .onnx file of a CLIP or DINO vision export.',
    ]);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('re-importing into a folder keeps the WebGPU check of an unchanged file and removes variants no longer offered', async () => {
    const dir = join(work, 'folder');
    const request = {
      bytes: await readFile(join(work, 'dinov2.onnx')),
      fileName: 'dinov2.onnx',
      id: 'folder',
      displayName: 'folder',
      checkImages: [
        {
          name: 'grey',
          image: { data: new Uint8Array(20 * 20 * 3).fill(128), width: 20, height: 20, channels: 3 as const },
        },
      ],
      source: 'test',
    };
    const first = await importIntoFolder(dir, { ...request, dtypes: ['int8-weight'] });
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'model.int8-weight.onnx', 'model.onnx']);
    const check: WebGpuInstallCheck = {
      maxRelative: 1e-7,
      tolerance: 1e-3,
      agrees: true,
      against: 'fp32',
      adapter: 'test',
      checkedAt: 'then',
    };
    const recorded = {
      ...first.manifest,
      variants: first.manifest.variants.map((v) => ({ ...v, webgpuCheck: check })),
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(recorded));

    const again = await importIntoFolder(dir, { ...request, dtypes: [] });
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'model.onnx']);
    expect(again.manifest.variants).toEqual([{ ...first.manifest.variants[0], webgpuCheck: check }]);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(again.manifest);
  });
});
