// The manifest.json of a model added from an export (docs/architecture-platform.md §2): input size,
// resize filter and normalisation from its family, the taps and embedding found, the fp32 variant.
import type { EmbeddingSpec, ModelManifest, ModelVariant, TapSpec } from '../manifest.ts';
import { familyTraits, type VitFamily } from './families.ts';
import type { TapFindings } from './tap.ts';

export interface ModelDescription {
  id: string;
  displayName: string;
  family: VitFamily;
  fixture: boolean;
  license: string;
  source: string;
  inputName: string;
  size: number;
  taps: TapSpec[];
  embedding: EmbeddingSpec;
  notes?: string;
}

/** Where a tapped model came from, as its manifest says. */
export interface Provenance {
  id: string;
  displayName: string;
  license: string;
  source: string;
  notes?: string;
}

/** The fp32 file's name in a model folder. */
export const modelFileName = 'model.onnx';

export function tappedDescription(tapped: TapFindings, provenance: Provenance): ModelDescription {
  return {
    ...provenance,
    family: tapped.family,
    fixture: false,
    inputName: tapped.inputName,
    size: tapped.size,
    taps: tapped.taps,
    embedding: tapped.embedding,
  };
}

/** The manifest's entry for the fp32 file (`modelFileName`), from its size and sha256. */
export function fp32Variant(file: { bytes: number; sha256: string }): ModelVariant {
  return {
    dtype: 'fp32',
    file: modelFileName,
    bytes: file.bytes,
    sha256: file.sha256,
    backends: ['webgpu', 'wasm', 'node'],
  };
}

export function buildManifest(description: ModelDescription, fp32: ModelVariant): ModelManifest {
  const traits = familyTraits[description.family];
  return {
    schema: 1,
    id: description.id,
    displayName: description.displayName,
    family: description.family,
    fixture: description.fixture,
    license: description.license,
    source: description.source,
    input: {
      name: description.inputName,
      size: description.size,
      layout: 'nchw',
      resize: traits.resize,
      normalization: traits.normalization,
    },
    taps: description.taps,
    embedding: description.embedding,
    variants: [fp32],
    ...(description.notes ? { notes: description.notes } : {}),
  };
}
