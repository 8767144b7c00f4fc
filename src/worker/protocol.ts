// The one worker boundary: typed requests, progress events and replies. Each call has an id;
// the client cancels it by posting `{ type: 'cancel', id }` (wired to an AbortSignal).
import type { ScreeningNote } from '../engine/screening/notes.ts';
import type { VariantDtype } from '../encoders/manifest.ts';
import type { AddedModel } from '../platform/browser/addedModels.ts';
import type { VitFamily } from '../encoders/import/families.ts';
import type { AdapterSummary, BackendPreference, BrowserBackend, WebGpuCheck } from '../encoders/web/backendTypes.ts';
import type { ImageProblem } from '../engine/preprocess/imageFiles.ts';
import type { ImageMetrics, PixelMetrics } from '../engine/types.ts';
import type { RocCurve } from '../engine/metrics/roc.ts';
import type { ScoreScale } from '../engine/session/judge.ts';
import type { ImageRole } from '../engine/session/scorers.ts';

export type { AddedModel, AdapterSummary, BackendPreference, BrowserBackend, ImageRole, ScoreScale, WebGpuCheck };

export interface BackendInfo {
  backend: BrowserBackend;
  /** why WebGPU is not in use, in plain words, or null when it is */
  fallbackReason: string | null;
  /** on WebGPU: its agreement with WASM, measured when the model was loaded */
  webgpuCheck: WebGpuCheck | null;
  adapter: AdapterSummary | null;
  shaderF16: boolean;
  wasmThreads: number;
  crossOriginIsolated: boolean;
}

export interface LoadedModel {
  modelId: string;
  variant: VariantDtype;
  backendInfo: BackendInfo;
  warmupMs: number;
}

export type LoadStage = 'download' | 'verify' | 'compile' | 'warmup' | 'check';

export interface LoadProgress {
  stage: LoadStage;
  /** bytes for download, 0..1 otherwise */
  done: number;
  total: number;
}

export interface ProbeResult {
  backend: BrowserBackend;
  /** output name → values, for a deterministic seeded input */
  outputs: Record<string, { dims: number[]; data: Float32Array }>;
}

/** An image of the batch: `key` is the sha-256 of its bytes (the feature cache key). */
export interface ImageRef {
  key: string;
  name: string;
  blob: Blob;
  /** a known-good reference scores the others and is never a finding; absent: a query */
  role?: ImageRole;
}

export type ImageCheck =
  | { key: string; ok: true; width: number; height: number }
  | { key: string; ok: false; problem: ImageProblem; reason: string };

/** Everything that decides a batch's scores; the settings panel edits it. */
export interface ScoreSettings {
  modelId: string;
  /** null: the best variant for the backend */
  variant: VariantDtype | null;
  backend: BackendPreference;
  /** encoder input side S in pixels (the anomaly maps are S×S too) */
  inputSize: number;
  /** CNN models: the common feature grid the taps are resampled to; null = the model's default */
  grid: number | null;
  /** names of the manifest taps used as MuSc layers */
  taps: string[];
  rList: number[];
  interval: [number, number];
  /** RsCIN windows; empty skips RsCIN */
  kList: number[];
  forceSmallBatch: boolean;
  /** the aligned-parts shortcut's tolerance (engine/alignment.ts); null compares every patch (exact) */
  alignedTolerance: number | null;
  /** the candidate-images shortcut's K (engine/candidates.ts); null scores against every other image (exact) */
  candidates: number | null;
}

export type RunStage = LoadStage | 'encoding' | 'scoring';

export interface RunProgress {
  stage: RunStage;
  /** bytes for download, images for encoding, image pairs for scoring */
  done: number;
  total: number;
  /** while encoding: image pairs already scored among the images encoded so far */
  pairsScored?: number;
}

/** A scored batch, in the order of the request's images. */
export interface BatchScores {
  keys: string[];
  /**
   * final scores on `scale` (absent on batches saved by older versions: batch-relative):
   * batch-relative, min-max within the batch then RsCIN; or, with known-good references, the
   * distance to them (a reference's own score is against the other references)
   */
  imageScores: Float64Array;
  scale?: ScoreScale;
  /** per image, in request order (absent: all queries) */
  roles?: ImageRole[];
  /** with references: the threshold they calibrate, and the rule in one sentence; null otherwise (the page's batch rule applies) */
  calibrated?: { threshold: number | null; rule: string } | null;
  /** unordered image pairs this call computed (an incremental session computes only the new ones) */
  pairsComputed?: number;
  /** per image, in request order: its near-duplicates and comparability (engine screening/); absent: not screened */
  screening?: ScreeningNote[];
  /** the screening rule in one sentence; absent: not screened */
  screeningRule?: string;
  /** max of each upsampled anomaly map, in feature-distance units */
  imageScoresRaw: Float64Array;
  /** [N, grid²] patch scores; maps are their bilinear upsampling to mapSize² */
  patchScores: Float64Array;
  grid: number;
  mapSize: number;
  forcedSmallBatch: boolean;
  rscinWindows: number[];
  /** images encoded by this call; the others came from the worker's feature cache */
  encodedNow: number;
  /** absent on batches saved by versions that did not record it */
  scoring?: ScoringInfo;
  model: LoadedModel;
}

/** Where LNAMD and MSM ran, and why not on WebGPU when the model did. */
export interface ScoringInfo {
  on: BrowserBackend;
}

export interface EvaluationRequest {
  patchScores: Float64Array;
  grid: number;
  mapSize: number;
  imageScores: Float64Array;
  /** per image: 1 anomalous, 0 normal */
  labels: number[];
  /** per image: its ground-truth mask, null for normal images */
  masks: Array<{ name: string; blob: Blob } | null>;
}

export interface Evaluation {
  image: ImageMetrics;
  pixel: PixelMetrics;
  roc: RocCurve;
}

export interface CountProgress {
  done: number;
  total: number;
}

/** Why a patch scored as it did (worker/session.ts evidenceFor). */
export interface Evidence {
  /** the patch asked about, row-major on the grid */
  patch: number;
  /** its distance to its nearest scorer (mean over the feature sets) */
  distance: number;
  /** the median over the image's patches of the same distance */
  usual: number;
  /** how many images score this one */
  scorers: number;
  /** the nearest scorers, nearest first: image key, distance, and where its nearest patch is (null if unknown) */
  matches: Array<{ key: string; distance: number; patch: number | null }>;
}

export type AddModelStage = 'read' | 'parse' | 'tap' | 'variants';

/** Adding a model: bytes while reading the file, steps otherwise. */
export interface AddModelProgress {
  stage: AddModelStage;
  done: number;
  total: number;
}

/** Request kind → its payload, progress and reply types. */
export interface Calls {
  'load-model': {
    request: { modelId: string; backend: BackendPreference; variant?: VariantDtype | null };
    progress: LoadProgress;
    reply: LoadedModel;
  };
  probe: {
    request: { modelId: string; backend: BrowserBackend; variant?: VariantDtype };
    progress: LoadProgress;
    reply: ProbeResult;
  };
  /** decodes each image once to list the unusable ones (corrupt, not an image, too small) */
  'check-images': { request: { images: ImageRef[] }; progress: CountProgress; reply: { checks: ImageCheck[] } };
  /** encodes (reusing cached features) and scores a batch with MuSc */
  score: { request: { images: ImageRef[]; settings: ScoreSettings }; progress: RunProgress; reply: BatchScores };
  /** the evidence for one patch of a scored image, from the held scoring session */
  evidence: {
    request: { key: string; patch: number; count: number };
    progress: never;
    reply: { evidence: Evidence | null };
  };
  /** image and pixel metrics against ground truth, with the engine's metrics */
  evaluate: { request: EvaluationRequest; progress: CountProgress; reply: Evaluation };
  /** taps, checks, quantizes and stores an ONNX export the user chose; `family` null: found from the graph; `size` null: the export's own */
  'add-model': {
    /** the export's .onnx, and its external-data files where its weights lie outside it */
    request: { file: File; dataFiles: File[]; name: string; family: VitFamily | null; size: number | null };
    progress: AddModelProgress;
    reply: { model: AddedModel; lines: string[] };
  };
  'added-models': { request: Record<string, never>; progress: never; reply: { models: AddedModel[] } };
  /** deletes an added model's files; replies with the bytes freed */
  'remove-model': { request: { id: string }; progress: never; reply: { freedBytes: number } };
  /** diagnostics and tests only: destroys onnxruntime's GPU device; replies with the reason the app now gives for WASM */
  'lose-gpu-device': { request: Record<string, never>; progress: never; reply: { reason: string } };
}

export type CallKind = keyof Calls;

export type ToWorker =
  | { [K in CallKind]: { type: 'call'; id: number; kind: K; request: Calls[K]['request'] } }[CallKind]
  | { type: 'cancel'; id: number };

export interface WorkerErrorPayload {
  code: string;
  message: string;
}

export type FromWorker =
  | { type: 'progress'; id: number; progress: Calls[CallKind]['progress'] }
  | { type: 'reply'; id: number; reply: Calls[CallKind]['reply'] }
  | { type: 'error'; id: number; error: WorkerErrorPayload };
