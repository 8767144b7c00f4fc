// What each ViT family needs besides its graph: preprocessing (docs/method.md §3) and how its taps and
// image embedding are read (docs/method.md §2).
import type { EmbeddingSpec, Normalization, ResizeFilter } from '../manifest.ts';
import { embeddingOutputName } from './tapPlan.ts';

export type VitFamily = 'clip' | 'dino' | 'dinov2';
export const vitFamilies: readonly VitFamily[] = ['clip', 'dino', 'dinov2'];

export interface FamilyTraits {
  resize: ResizeFilter;
  normalization: Normalization;
  /** taps pass through the final LayerNorm (DINO get_intermediate_layers(norm=True)); CLIP taps are the raw stream */
  tapsThroughFinalNorm: boolean;
  /** the RsCIN embedding: CLIP's projected CLS, L2-normalised; DINO's final-normed CLS, not normalised */
  embedding: 'projected-cls' | 'final-norm-cls';
}

const openAiClip: Normalization = {
  insideGraph: false,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};
const imageNet: Normalization = { insideGraph: false, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
const dinoTraits: FamilyTraits = {
  resize: 'bilinear',
  normalization: imageNet,
  tapsThroughFinalNorm: true,
  embedding: 'final-norm-cls',
};

export const familyTraits: Record<VitFamily, FamilyTraits> = {
  clip: { resize: 'bicubic', normalization: openAiClip, tapsThroughFinalNorm: false, embedding: 'projected-cls' },
  dino: dinoTraits,
  dinov2: dinoTraits,
};

/** The manifest entry of a tapped model's embedding output: CLIP's is L2-normalised in the graph (and RsCIN normalises it), DINO's is used as is. */
export function embeddingSpec(family: VitFamily, dim: number): EmbeddingSpec {
  const clip = familyTraits[family].embedding === 'projected-cls';
  return { name: embeddingOutputName, source: 'output', dim, normalized: clip, l2Normalize: clip };
}

export function parseFamily(value: string | undefined): VitFamily {
  const family = vitFamilies.find((f) => f === value);
  if (!family) throw new Error(`--family must be one of ${vitFamilies.join(', ')}${value ? ` (got ${value})` : ''}`);
  return family;
}
