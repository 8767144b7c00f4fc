// src/encoders/import: turning a CLIP/DINO ONNX export into a MuScope model without Node APIs: taps and
// embedding found by graph structure, the manifest, the quantized variants (shared by the page and `npm run model`).
// importModel is the whole pipeline; the rest are its parts.
export { ImportError, detectFamily, externalDataLocations, importModel } from './importModel.ts';
export type {
  CheckImageSource,
  DataFiles,
  FloatSession,
  ImportErrorCode,
  ImportProgress,
  ImportRequest,
  ImportedModel,
  OpenFloatModel,
} from './importModel.ts';
export { TapError } from './errors.ts';
export type { TapErrorCode } from './errors.ts';
export { familyLabels } from './detectFamily.ts';
export { DEFAULT_CHECK_IMAGE_COUNT, pickCheckImages, prepareCheckImages } from './checkImages.ts';
export type { CheckImage } from './checkImages.ts';
export { tapModel } from './tap.ts';
export type { TapFindings, TapOptions, TappedEncoder } from './tap.ts';
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
