// Builds a model's quantized variants from the fp32 model one at a time, checks each against fp32
// on real images (variantCheck.ts) and gives the caller each outcome: the file and its manifest
// entry when it passed, the reason when not. What `npm run model -- quantize` and the page's import
// both run, so the same fp32 file and images give the same variants and entries.
import type { ModelManifest, ModelVariant } from '../manifest.ts';
import { encodeModelParts, type FileParts, type OpenFloatModel, partsLength } from '../onnx/index.ts';
import { type CheckImage, runOnImages } from './checkImages.ts';
import type { Model } from './quantize/onnxExtras.ts';
import {
  buildVariant,
  checkedOutputs,
  type QuantizedDtype,
  VARIANT_RECIPES,
  variantFileName,
  withVariant,
} from './quantize/variants.ts';
import { MIN_TAP_COSINE, type ModelOutputs, compareOutputs, isWorse, type VariantCheckReport } from './variantCheck.ts';

export interface VariantOutcome {
  dtype: QuantizedDtype;
  /** the variant's file name beside the fp32 file */
  file: string;
  /** the file's bytes and its manifest entry when it passed; null when it is not offered */
  bytes: FileParts | null;
  entry: ModelVariant | null;
  /** one line saying what was recorded, or why not */
  line: string;
}

export interface CheckedVariantsRequest {
  /** the model's manifest; its fp32 entry names the file the variants sit beside */
  manifest: ModelManifest;
  /** the model.onnx the manifest describes, decoded (or as it was encoded) */
  fp32: Model;
  dtypes: readonly QuantizedDtype[];
  images: readonly CheckImage[];
  open: OpenFloatModel;
  sha256: (bytes: FileParts) => Promise<string>;
  now: () => Date;
  /** smallest acceptable output cosine against fp32 (default MIN_TAP_COSINE) */
  minTapCosine?: number;
  signal?: AbortSignal;
  /** called once per dtype, in order, before the next variant is built */
  onVariant: (outcome: VariantOutcome) => Promise<void>;
  /** steps: the fp32 reference run, then one per dtype */
  onStep?: (done: number, total: number) => void;
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

/** A variant file the runtime cannot open or run is not offered; the runtime's words say why. */
class VariantRunFailure extends Error {
  constructor(
    readonly label: string,
    cause: unknown,
  ) {
    super(`onnxruntime could not run it (${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]})`, {
      cause,
    });
  }
}

/** The manifest's variants with each of `dtypes` replaced by its outcome (removed where it failed). */
export async function buildCheckedVariants(request: CheckedVariantsRequest): Promise<ModelVariant[]> {
  const { manifest, fp32: fp32Model, images, open, signal } = request;
  const fp32 = manifest.variants.find((v) => v.dtype === 'fp32');
  if (!fp32) throw new Error(`the manifest of ${manifest.id} lists no fp32 variant to quantize`);
  if (images.length === 0)
    throw new Error('No check images: every variant must be checked on real images before it is recorded');
  const total = 1 + request.dtypes.length;
  request.onStep?.(0, total);
  const outputs = checkedOutputs(manifest);
  const imageNames = images.map((i) => i.name);
  const input = { name: manifest.input.name, size: manifest.input.size };
  const reference: ModelOutputs = await runOnImages(open, fp32Model, input, outputs, images, signal);
  request.onStep?.(1, total);
  const threshold = request.minTapCosine ?? MIN_TAP_COSINE;

  const check = async (label: string, model: Model): Promise<LabelledReport> => {
    let candidate: ModelOutputs;
    try {
      candidate = await runOnImages(open, model, input, outputs, images, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new VariantRunFailure(label, error);
    }
    return { label, report: compareOutputs(reference, candidate, outputs, imageNames, threshold) };
  };

  let variants = manifest.variants;
  for (const [i, dtype] of request.dtypes.entries()) {
    signal?.throwIfAborted();
    const started = performance.now();
    const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    const recipe = VARIANT_RECIPES[dtype];
    const file = variantFileName(fp32.file, dtype);
    const variant = buildVariant(fp32Model, dtype);
    let outcome: VariantOutcome;
    try {
      const reports = [await check('file', variant)];
      for (const twin of recipe.checkTwins?.(variant) ?? []) reports.push(await check(twin.label, twin.model));
      const worst = reports.reduce((a, b) => (isWorse(b.report.minTapCosine, a.report.minTapCosine) ? b : a));
      const summary = `min cosine per output over ${images.length} images, ${reports.map(summarize).join('; ')}; ${seconds()}`;
      if (worst.report.passed) {
        const bytes = encodeModelParts(variant);
        const entry: ModelVariant = {
          dtype,
          file,
          bytes: partsLength(bytes),
          sha256: await request.sha256(bytes),
          backends: recipe.backends,
          ...(recipe.requiresFeature ? { requiresFeature: recipe.requiresFeature } : {}),
          check: {
            minTapCosine: worst.report.minTapCosine,
            images: images.length,
            checkedAt: request.now().toISOString(),
          },
        };
        const line = `${manifest.id} ${dtype}: ${file}, ${entry.bytes} bytes (fp32 ${fp32.bytes}); ${summary}`;
        outcome = { dtype, file, bytes, entry, line };
      } else {
        const line = `${manifest.id} ${dtype}: NOT recorded: ${worst.label}: ${worst.report.failure} (${summary})`;
        outcome = { dtype, file, bytes: null, entry: null, line };
      }
    } catch (error) {
      if (!(error instanceof VariantRunFailure)) throw error;
      const line = `${manifest.id} ${dtype}: NOT recorded: ${error.label}: ${error.message} (${seconds()})`;
      outcome = { dtype, file, bytes: null, entry: null, line };
    }
    variants = withVariant(variants, dtype, outcome.entry);
    await request.onVariant(outcome);
    request.onStep?.(2 + i, total);
  }
  return variants;
}
