// src/encoders/import: turning a CLIP/DINO ONNX export into a MuScope model without Node APIs: taps and
// embedding found by graph structure, the manifest, the quantized variants (shared by the page and `npm run model`).
export { tapModel } from './tap.ts';
export type { TapOptions, TappedEncoder } from './tap.ts';
export { checkTapBlocks, defaultTapBlocks, embeddingOutputName, parseLayerList, tapOutputName } from './tapPlan.ts';
export { embeddingSpec, familyTraits, parseFamily, vitFamilies } from './families.ts';
export type { FamilyTraits, VitFamily } from './families.ts';
export { buildManifest, fp32Variant, modelFileName, tappedDescription } from './modelManifest.ts';
export type { ModelDescription, Provenance } from './modelManifest.ts';
export {
  QUANTIZED_DTYPES,
  VARIANT_RECIPES,
  buildVariant,
  checkedOutputs,
  variantFileName,
  withVariant,
} from './quantize/variants.ts';
export type { QuantizedDtype, VariantRecipe } from './quantize/variants.ts';
export { MIN_TAP_COSINE, compareOutputs, cosineSimilarity, isWorse } from './variantCheck.ts';
export type { ModelOutputs, VariantCheckReport } from './variantCheck.ts';
