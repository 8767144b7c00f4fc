// Builds the quantized variants of an installed model next to its fp32 file, checks each against
// fp32 on real images, and records the ones that pass in the model's manifest.json (file, bytes,
// sha256, backends, check). Driven by the manifest alone. The building and checking is
// src/encoders/import/checkedVariants.ts, the same the page's import runs; variant files depend
// only on the fp32 file's bytes, so rebuilding gives byte-identical files and the install step
// stays idempotent.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { buildCheckedVariants } from '../../src/encoders/import/checkedVariants.ts';
import type { QuantizedDtype } from '../../src/encoders/import/quantize/variants.ts';
import { openFloatModel } from '../../src/platform/node/openFloatModel.ts';
import { checkFile, writeAtomically } from '../files/integrity.ts';
import { decodeModel, sha256Hex } from '../onnx/index.ts';
import { loadCheckImages } from './variant-check-images.ts';

export interface QuantizeOptions {
  dtypes: QuantizedDtype[];
  /** image files the variants are checked on */
  checkImages: string[];
  /** smallest acceptable output cosine against fp32 (default 0.99) */
  minTapCosine?: number;
  log?: (line: string) => void;
}

export async function quantizeModel(modelDir: string, opts: QuantizeOptions): Promise<ModelManifest> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const manifestPath = join(modelDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ModelManifest;
  const fp32 = manifest.variants.find((v) => v.dtype === 'fp32');
  if (!fp32) throw new Error(`${manifestPath} lists no fp32 variant to quantize`);
  const fp32Path = join(modelDir, fp32.file);
  const state = await checkFile(fp32Path, fp32.sha256, fp32.bytes);
  if (state !== 'ok')
    throw new Error(
      `${fp32Path} is ${state} (its sha256/size differ from the manifest); reinstall it (npm run postinstall) before quantizing`,
    );
  if (opts.checkImages.length === 0)
    throw new Error('No check images: every variant must be checked on real images before it is recorded');

  const variants = await buildCheckedVariants({
    manifest,
    fp32: decodeModel(await readFile(fp32Path)),
    dtypes: opts.dtypes,
    images: await loadCheckImages(opts.checkImages, manifest.input),
    open: openFloatModel,
    sha256: async (bytes) => sha256Hex(bytes),
    now: () => new Date(),
    minTapCosine: opts.minTapCosine,
    async onVariant({ file, bytes, line }) {
      if (bytes) await writeAtomically(join(modelDir, file), bytes);
      else await rm(join(modelDir, file), { force: true });
      log(line);
    },
  });

  const updated: ModelManifest = { ...manifest, variants };
  await writeAtomically(manifestPath, new TextEncoder().encode(`${JSON.stringify(updated, null, 2)}\n`));
  return updated;
}
