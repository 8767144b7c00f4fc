// src/encoders/import/quantize: the quantized variants (fp16, int8 weight-only, int8 dynamic) built from
// the fp32 model alone, so the same file always gives byte-identical variants, and their manifest entries.
import type { Backend, ModelManifest, ModelVariant, VariantDtype } from '../../manifest.ts';
import { emulateFloat16Storage } from './fp16Emulation.ts';
import { buildFp16Variant } from './fp16Variant.ts';
import { buildInt8DynamicVariant } from './int8DynamicVariant.ts';
import { buildInt8WeightVariant } from './int8WeightVariant.ts';
import type { Model } from './onnxExtras.ts';

export type QuantizedDtype = Exclude<VariantDtype, 'fp32'>;

export interface VariantRecipe {
  build: (model: Model) => Model;
  /** twins of the variant that the CPU check runs as well, where CPU would not run the file faithfully */
  checkTwins?: (variant: Model) => { label: string; model: Model }[];
  backends: Backend[];
  requiresFeature?: 'shader-f16';
}

export const VARIANT_RECIPES: Readonly<Record<QuantizedDtype, VariantRecipe>> = {
  // fp16 compute needs shader-f16 on WebGPU; onnxruntime's CPU EP runs it in float32 behind Casts
  fp16: {
    build: buildFp16Variant,
    checkTwins: (variant) => [{ label: 'fp16-storage twin', model: emulateFloat16Storage(variant) }],
    backends: ['webgpu'],
    requiresFeature: 'shader-f16',
  },
  'int8-weight': { build: buildInt8WeightVariant, backends: ['webgpu', 'wasm', 'node'] },
  // integer kernels exist only on the CPU backends (and make the CNN trunks slower there: see the builder)
  'int8-dynamic': { build: buildInt8DynamicVariant, backends: ['wasm', 'node'] },
};

export const QUANTIZED_DTYPES = Object.keys(VARIANT_RECIPES) as QuantizedDtype[];

/** `model.onnx` → `model.int8-weight.onnx`, beside the fp32 file. */
export function variantFileName(fp32File: string, dtype: QuantizedDtype): string {
  // the file name without its folder and `.onnx`, as node:path's basename(fp32File, '.onnx') gives it
  const name = fp32File.slice(fp32File.lastIndexOf('/') + 1);
  const stem = name !== '.onnx' && name.endsWith('.onnx') ? name.slice(0, -'.onnx'.length) : name;
  return `${stem}.${dtype}.onnx`;
}

/**
 * Builds the variant of the fp32 model (left as it was; the variant shares the weights it keeps);
 * pure, so the same fp32 file always gives the same variant file.
 */
export function buildVariant(fp32: Model, dtype: QuantizedDtype): Model {
  const model = VARIANT_RECIPES[dtype].build(fp32);
  model.metadataProps = [
    ...(model.metadataProps ?? []).filter((p) => p.key !== 'muscope.variant'),
    { key: 'muscope.variant', value: dtype },
  ];
  return model;
}

/** The outputs the check compares: every tap, and the embedding when it is an output of its own. */
export function checkedOutputs(manifest: ModelManifest): string[] {
  const names = manifest.taps.map((t) => t.name);
  if (manifest.embedding?.source === 'output') names.push(manifest.embedding.name);
  return [...new Set(names)];
}

const DTYPE_ORDER: VariantDtype[] = ['fp32', ...QUANTIZED_DTYPES];

/** The manifest's variants with `dtype`'s entry replaced by `variant` (removed for null), in dtype order. */
export function withVariant(
  variants: ModelVariant[],
  dtype: QuantizedDtype,
  variant: ModelVariant | null,
): ModelVariant[] {
  const others = variants.filter((v) => v.dtype !== dtype);
  return [...others, ...(variant ? [variant] : [])].sort(
    (a, b) => DTYPE_ORDER.indexOf(a.dtype) - DTYPE_ORDER.indexOf(b.dtype),
  );
}
