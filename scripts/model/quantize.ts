// Builds the quantized variants of an installed model next to its fp32 file, checks each against
// fp32 on real images, and records the ones that pass in the model's manifest.json (file, bytes,
// sha256, backends, check). Driven by the manifest alone. Variant files depend only on the fp32
// file's bytes (src/encoders/import/quantize/variants.ts), so rebuilding gives byte-identical files
// and the install step stays idempotent.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import {
  buildVariant,
  checkedOutputs,
  type QuantizedDtype,
  VARIANT_RECIPES,
  variantFileName,
  withVariant,
} from '../../src/encoders/import/quantize/variants.ts';
import {
  MIN_TAP_COSINE,
  compareOutputs,
  isWorse,
  type VariantCheckReport,
} from '../../src/encoders/import/variantCheck.ts';
import { checkFile } from '../files/integrity.ts';
import { decodeModel, encodeModel, sha256Hex } from '../onnx/index.ts';
import { loadCheckImages } from './variant-check-images.ts';
import { runOutputs } from './variant-check.ts';

export interface QuantizeOptions {
  dtypes: QuantizedDtype[];
  /** image files the variants are checked on */
  checkImages: string[];
  /** smallest acceptable output cosine against fp32 (default 0.99) */
  minTapCosine?: number;
  log?: (line: string) => void;
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}

interface LabelledReport {
  label: string;
  report: VariantCheckReport;
}

function summarize({ label, report }: LabelledReport): string {
  const perOutput = Object.entries(report.perOutput)
    .map(([name, cosine]) => `${name} ${cosine.toFixed(5)}`)
    .join(', ');
  return `${label}: ${perOutput}`;
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

  const fp32Bytes = await readFile(fp32Path);
  const outputs = checkedOutputs(manifest);
  const images = await loadCheckImages(opts.checkImages, manifest.input);
  const imageNames = images.map((i) => i.name);
  const input = { name: manifest.input.name, size: manifest.input.size };
  const reference = await runOutputs(fp32Bytes, input, outputs, images);
  const threshold = opts.minTapCosine ?? MIN_TAP_COSINE;

  const check = async (label: string, model: Uint8Array): Promise<LabelledReport> => ({
    label,
    report: compareOutputs(reference, await runOutputs(model, input, outputs, images), outputs, imageNames, threshold),
  });

  let variants = manifest.variants;
  for (const dtype of opts.dtypes) {
    const started = performance.now();
    const recipe = VARIANT_RECIPES[dtype];
    const file = variantFileName(fp32.file, dtype);
    const bytes = buildVariant(fp32Bytes, dtype);
    const reports = [await check('file', bytes)];
    for (const twin of recipe.checkTwins?.(decodeModel(bytes)) ?? [])
      reports.push(await check(twin.label, encodeModel(twin.model)));
    const worst = reports.reduce((a, b) => (isWorse(b.report.minTapCosine, a.report.minTapCosine) ? b : a));
    const summary = `min cosine per output over ${images.length} images, ${reports.map(summarize).join('; ')}; ${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (!worst.report.passed) {
      log(`${manifest.id} ${dtype}: NOT recorded: ${worst.label}: ${worst.report.failure} (${summary})`);
      await rm(join(modelDir, file), { force: true });
      variants = withVariant(variants, dtype, null);
      continue;
    }
    await writeAtomically(join(modelDir, file), bytes);
    variants = withVariant(variants, dtype, {
      dtype,
      file,
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
      backends: recipe.backends,
      ...(recipe.requiresFeature ? { requiresFeature: recipe.requiresFeature } : {}),
      check: { minTapCosine: worst.report.minTapCosine, images: images.length, checkedAt: new Date().toISOString() },
    });
    log(`${manifest.id} ${dtype}: ${file}, ${bytes.length} bytes (fp32 ${fp32.bytes}); ${summary}`);
  }

  const updated: ModelManifest = { ...manifest, variants };
  await writeAtomically(manifestPath, new TextEncoder().encode(`${JSON.stringify(updated, null, 2)}\n`));
  return updated;
}
