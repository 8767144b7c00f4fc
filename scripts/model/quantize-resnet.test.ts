// The variants of the real ResNet50-v2 trunk (../shared/models) against fp32 on two MVTec bottle
// images, one good and one defective. Skipped where the shared folder is absent.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from './pinnedModels.ts';
import { sharedDir } from '../files/paths.ts';
import { buildVariant, checkedOutputs, type QuantizedDtype } from '../../src/encoders/import/quantize/variants.ts';
import { compareOutputs, type ModelOutputs } from '../../src/encoders/import/variantCheck.ts';
import { defaultCheckImageDir, loadCheckImages, selectCheckImages, type CheckImage } from './variant-check-images.ts';
import { runOutputs } from './variant-check.ts';
import { decodeModel, encodeModel } from '../onnx/index.ts';

const entry = CATALOG.find((e) => e.manifest.id === 'resnet50v2-imagenet-trunk');
if (!entry) throw new Error('the install catalog has no resnet50v2-imagenet-trunk');
const modelPath = join(sharedDir, 'models', entry.files[0].sourcePath);
const available = existsSync(modelPath) && existsSync(defaultCheckImageDir());

describe.skipIf(!available)('ResNet50-v2 trunk variants', () => {
  const manifest = { ...entry.manifest, variants: [] };
  const outputs = checkedOutputs(manifest);
  const input = { name: manifest.input.name, size: manifest.input.size };
  let fp32: Uint8Array;
  let images: CheckImage[];
  let reference: ModelOutputs;

  beforeAll(async () => {
    fp32 = await readFile(modelPath);
    images = await loadCheckImages(await selectCheckImages(defaultCheckImageDir(), 2), manifest.input);
    reference = await runOutputs(fp32, input, outputs, images);
  });

  // measured over 8 bottle images: fp16 ≥ 0.99999, int8-weight ≥ 0.9994, int8-dynamic ≥ 0.9967
  it.each([
    ['fp16', 0.9999],
    ['int8-weight', 0.999],
    ['int8-dynamic', 0.995],
  ] as [QuantizedDtype, number][])('%s keeps every tap above cosine %s', async (dtype, floor) => {
    const variant = encodeModel(buildVariant(decodeModel(fp32), dtype));
    expect(variant.length).toBeLessThan(fp32.length / (dtype === 'fp16' ? 1.9 : 3.8));
    const report = compareOutputs(
      reference,
      await runOutputs(variant, input, outputs, images),
      outputs,
      images.map((i) => i.name),
    );
    expect(report.minTapCosine).toBeGreaterThan(floor);
  });
});
