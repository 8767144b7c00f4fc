// The engine's data contract. Everything is flat, row-major typed arrays so the same values can
// cross a worker boundary (transferable), feed WebGPU buffers, and be compared with the golden
// vectors without reshaping.

/** The shape of one tapped layer for all N images of a batch, on one patch grid. */
export interface LayerShape {
  images: number;
  grid: number;
  dim: number;
  /** leading tokens per image that are not patches (CLS, registers); LNAMD drops them */
  skip: number;
}

/** A tapped layer in CPU memory. (src/gpu has one that stays on the GPU: DeviceLayer.) */
export interface LayerFeatures extends LayerShape {
  /** [N, T, D] row-major, T = skip + grid² */
  data: Float32Array;
}

export interface MuscConfig {
  /** odd aggregation degrees, default [1, 3, 5] */
  rList: number[];
  /** fraction (or absolute count when ≥ 1) rank interval of the N−1 scorers, default [0, 0.3] */
  interval: [number, number];
  /** RsCIN windows, default [1, 2, 3]; an empty list or one containing 0 skips RsCIN */
  kList: number[];
  /** side S of the upsampled anomaly maps */
  imageSize: number;
  /** N < 5: score anyway with k = max(1, …) instead of refusing (labelled as forced) */
  forceSmallBatch: boolean;
  /**
   * The aligned-parts shortcut (alignment.ts): compare a patch only with patches within about
   * this fraction of the image height of its own row; absent or null scores every patch (exact)
   */
  alignedTolerance?: number | null;
  /**
   * The candidate-images shortcut (candidates.ts): score each image against K other images drawn
   * at random from the whole set; absent or null scores it against every other image (exact)
   */
  candidates?: number | null;
}

export const DEFAULT_CONFIG: Omit<MuscConfig, 'imageSize'> = {
  rList: [1, 3, 5],
  interval: [0, 0.3],
  kList: [1, 2, 3],
  forceSmallBatch: false,
};

/** L: where the taps live; anything but LayerFeatures needs a RunOptions.scoreFeatureSet that reads it. */
export interface MuscInput<L extends LayerShape = LayerFeatures> {
  layers: L[];
  /** [N, E] image embeddings for RsCIN, or null to skip RsCIN */
  embeddings: Float32Array | null;
  embedDim: number;
}

export type MuscStage = 'lnamd' | 'msm' | 'rscin' | 'maps';

export interface MuscProgress {
  stage: MuscStage;
  done: number;
  total: number;
}

export interface MuscResult {
  images: number;
  grid: number;
  /** [N, P] mean over degrees of the mean over layers of the MSM scores */
  patchScores: Float64Array;
  /** [N] max of each upsampled map */
  imageScoresRaw: Float64Array;
  /** [N] after min-max and RsCIN (equals min-max of raw when RsCIN is skipped) */
  imageScores: Float64Array;
  /**
   * true when forceSmallBatch changed the computation: N < 5 scored anyway, an empty scorer
   * window widened to one scorer, or RsCIN windows clamped to N
   */
  forcedSmallBatch: boolean;
  /** RsCIN windows actually applied (clamped to N when forced); empty when RsCIN was skipped */
  rscinWindows: number[];
  /** [R, L, N, P] MSM scores per degree and layer, only when RunOptions.keepLayerScores */
  layerScores?: Float64Array;
}

/**
 * Computes S = sim(A, B) = A·Bᵀ for row blocks of unit vectors. Injected so the same MSM runs on
 * plain TypeScript, onnxruntime (Node or WASM) or WebGPU.
 * a: [m, dim], b: [n, dim] → [m, n] row-major, f32 accumulation.
 */
export interface SimilarityKernel {
  readonly name: string;
  matmulT(a: Float32Array, m: number, b: Float32Array, n: number, dim: number): Promise<Float32Array>;
}

export interface RunOptions<L extends LayerShape = LayerFeatures> {
  signal?: AbortSignal;
  onProgress?: (p: MuscProgress) => void;
  similarity?: SimilarityKernel;
  /** keep the per-(degree, layer) MSM scores in MuscResult.layerScores (R·L·N·P float64) */
  keepLayerScores?: boolean;
  /**
   * Scores one (degree, layer) feature set in place of the CPU lnamd + mutualScores, e.g. on
   * WebGPU (src/gpu) or on the WebAssembly kernel (kernels/nearestRows.ts).
   */
  scoreFeatureSet?: FeatureSetScorer<L>;
}

/** How MSM runs: a similarity kernel, or a whole feature-set scorer (WebAssembly rows, GPU). */
export type MsmEngine = Pick<RunOptions, 'similarity' | 'scoreFeatureSet'>;

/**
 * LNAMD of one (degree, layer) feature set at degree r, then MSM → scores [N, P]. onPairs counts
 * unordered image pairs of this set, like mutualScores.
 */
export type FeatureSetScorer<L extends LayerShape = LayerFeatures> = (
  layer: L,
  r: number,
  window: { kMin: number; kMax: number },
  progress: { signal?: AbortSignal; onPairs?: (done: number, total: number) => void },
) => Promise<Float64Array>;

/** LNAMD's output for MSM: unit rows z [images, patches, dim]. */
export interface FeatureSet {
  z: Float32Array;
  images: number;
  patches: number;
  dim: number;
}

/** A CNN feature map for all N images: [N, C, H, W] row-major. */
export interface NchwTensor {
  data: Float32Array;
  images: number;
  channels: number;
  height: number;
  width: number;
}

/**
 * Image-level metrics (docs/method.md §9). Each is null where it is undefined: with only one
 * class present (no anomalous image, or no normal one) there is nothing to rank, and a 0 would
 * read as the worst possible result.
 */
export interface ImageMetrics {
  auroc: number | null;
  ap: number | null;
  f1Max: number | null;
}

/** Pixel-level metrics over all pixels of all images; null where undefined (no anomalous pixel, or no normal one). */
export interface PixelMetrics extends ImageMetrics {
  aupro: number | null;
}
