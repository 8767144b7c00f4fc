// The model manifest: everything the engine needs to turn an encoder's outputs into MuSc taps,
// stated in `public/models/<id>/manifest.json` so nothing is guessed at run time
// (docs/architecture-platform.md §2). Plain data, shared by the install script, the model tools, the worker
// and the CLI.

import type { EncoderInputSpec } from '../engine/preprocess/spec.ts';

export type ModelFamily = 'clip' | 'dino' | 'dinov2' | 'cnn';
export type VariantDtype = 'fp32' | 'fp16' | 'int8-weight' | 'int8-dynamic';
export type Backend = 'webgpu' | 'wasm' | 'node';

export type { Normalization, ResizeFilter } from '../engine/preprocess/spec.ts';

/** One tapped graph output that MuSc uses as a "layer". */
export interface TapSpec {
  /** graph output name */
  name: string;
  /** `tokens`: [B, T, D] with T = cls + grid² (+ registers); `nchw`: [B, D, H, W] feature map. */
  layout: 'tokens' | 'nchw';
  /** side of the MuSc patch grid for this tap at `input.size` (nchw taps are resampled to it, docs/method.md §4) */
  grid: number;
  /** nchw only: the tap's own stride in input pixels (its native grid is input.size / stride) */
  stride?: number;
  dim: number;
  /** tokens only: leading CLS token (dropped by LNAMD) */
  hasCls: boolean;
  /** tokens only: register tokens after CLS (dropped too) */
  registers: number;
  /** ViT taps: the 0-based transformer block whose output this is (docs/method.md §2) */
  block?: number;
}

export interface EmbeddingSpec {
  /** graph output name; for CNNs, the tap whose global average is the embedding (docs/method.md §4) */
  name: string;
  source: 'output' | 'global-average-of-tap';
  dim: number;
  /** whether the output is already L2-normalised (CLIP yes, DINO no) */
  normalized: boolean;
  /** whether MuScope L2-normalises it before RsCIN (CLIP and CNN global averages yes; DINO no, as the reference) */
  l2Normalize: boolean;
}

export interface VariantCheck {
  /** smallest cosine similarity of any tap against fp32, over the check images */
  minTapCosine: number;
  images: number;
  checkedAt: string;
}

/**
 * WebGPU against WASM on the probe input, measured when the variant was installed, in headless
 * Chromium (scripts/model/webgpuCheck.ts). A variant that disagreed is no longer offered on
 * WebGPU; the app checks again on the user's own adapter when it loads (ortWeb.ts).
 */
export type WebGpuInstallCheck =
  | {
      /** largest |WebGPU − WASM| over each output's largest |WASM value|; null for NaN or mismatched outputs */
      maxRelative: number | null;
      tolerance: number;
      agrees: boolean;
      /** the variant WASM ran: the same one where WASM offers it, else fp32 */
      against: VariantDtype;
      adapter: string;
      checkedAt: string;
    }
  | { notRun: string; checkedAt: string };

export interface ModelVariant {
  dtype: VariantDtype;
  file: string;
  bytes: number;
  sha256: string;
  /** backends this variant is offered on */
  backends: Backend[];
  /** webgpu only: adapter feature the variant needs (fp16 → 'shader-f16') */
  requiresFeature?: 'shader-f16';
  /** agreement check against fp32; absent only on the fp32 variant itself */
  check?: VariantCheck;
  /** absent until an install had Chromium with a WebGPU adapter to run it */
  webgpuCheck?: WebGpuInstallCheck;
}

export interface ModelManifest {
  schema: 1;
  id: string;
  displayName: string;
  family: ModelFamily;
  /** random-weight test fixtures are never offered for real inspection */
  fixture: boolean;
  license: string;
  source: string;
  input: EncoderInputSpec & {
    name: string;
    /** square input side in pixels */
    size: number;
    layout: 'nchw';
  };
  taps: TapSpec[];
  embedding: EmbeddingSpec | null;
  variants: ModelVariant[];
  notes?: string;
}
