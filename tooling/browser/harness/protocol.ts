// What the harness page (gpu-harness.ts, bundled by build.ts) offers to the Playwright tests and
// the browser bench through `globalThis.muscopeHarness`. Only plain JSON crosses the boundary.

export interface AdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  shaderF16: boolean;
}

/** Largest absolute deviations for one (degree, layer) feature set. */
export interface SetDeviation {
  r: number;
  layer: number;
  /** GPU LNAMD rows vs the CPU engine's lnamd */
  lnamdVsCpu: number;
  /** GPU LNAMD + MSM vs the golden per_r_layer */
  gpuVsGolden: number;
  /** GPU LNAMD + MSM vs the CPU engine (lnamd + mutualScores on the TypeScript kernel) */
  gpuVsCpu: number;
  /** GPU MSM on the CPU's rows (the mutualScores contract) vs the CPU engine */
  gpuMsmVsCpu: number;
}

export interface GoldenReport {
  name: string;
  images: number;
  sets: SetDeviation[];
  /** unordered pairs the GPU reported as done / total for its last set */
  pairsDone: number;
  pairsTotal: number;
}

export interface GoldenRequest {
  /** the golden JSON file's text */
  json: string;
  /** cap on one GPU buffer binding, to force feature chunks and table groups */
  maxBindingBytes?: number;
}

export interface CancelReport {
  /** the error's name and code when scoring rejected */
  error: { name: string; code: string; message: string } | null;
  progressCalls: number;
}

/**
 * A golden case in a scoring session on the WASM pool's feature slots, fed in pieces
 * (engine golden/goldenSession.ts): its outputs' deviations from the case's expected values.
 */
export interface PoolGoldenReport {
  deviations: Array<{ output: string; worst: number; tolerance: number }>;
  threads: number;
  /** pairs requests each pool thread answered */
  pairsAnswered: number[];
}

export interface SessionPoolRequest {
  /** threads of the WASM MSM pool */
  threads: number;
  /** seed of the random image features */
  seed: number;
}

/** A scoring session on the pool's feature slots vs the same session on the in-page kernel. */
export interface SessionPoolReport {
  threads: number;
  /** pairs requests each pool thread answered */
  pairsAnswered: number[];
  /** images in the session at the end */
  images: number;
  /** patch scores compared, over every step */
  compared: number;
  /** largest |pool − in-page| patch score (Infinity when one side scored an image the other did not) */
  worst: number;
  /** what a pairs call raised after a put of the wrong length; null when it raised nothing */
  badPut: string | null;
}

export type BenchBackend = 'wasm' | 'webgpu';

export interface BenchRequest {
  backend: BenchBackend;
  images: number;
  grid: number;
  dim: number;
  /** at most this many timed runs (the best is reported) */
  runs: number;
  /** no further run starts once this much time went into the timed runs (at least one runs) */
  repeatBudgetMs: number;
  /** skip, with the estimate as the reason, when one pair predicts a run longer than this */
  skipAboveMs?: number;
  /** threads of the WASM MSM pool */
  threads: number;
}

export type Measurement =
  { measured: true; ms: number; runs: number } | { measured: false; reason: string; estimatedMs: number };

export type BenchResult = Measurement & {
  crossOriginIsolated: boolean;
  /** WASM threads in use; 0 for WebGPU */
  threads: number;
  adapter: AdapterReport | null;
  /** WebGPU: peak bytes of GPU buffers alive at once during the runs (probe included) */
  gpuPeakBufferBytes?: number;
};

export interface MuscopeHarness {
  adapter(): Promise<AdapterReport>;
  golden(request: GoldenRequest): Promise<GoldenReport>;
  /** the golden case in a scoring session on the WASM pool's feature slots, as the page scores */
  goldenOnPoolSlots(request: GoldenRequest): Promise<PoolGoldenReport>;
  /** a scoring session on the WASM pool's feature slots against one on the in-page kernel */
  sessionPool(request: SessionPoolRequest): Promise<SessionPoolReport>;
  /** scores the golden case on the GPU with small buffers, aborting at the first progress report */
  cancel(request: GoldenRequest): Promise<CancelReport>;
  /** LNAMD of a layer holding a NaN: the refusal's code */
  brokenFeatures(): Promise<string>;
  benchMsm(request: BenchRequest): Promise<BenchResult>;
}

declare global {
  var muscopeHarness: MuscopeHarness | undefined;
}
