// The one worker boundary: typed requests, progress events and replies. Each call has an id;
// the client cancels it by posting `{ type: 'cancel', id }` (wired to an AbortSignal).
import type { Backend, VariantDtype } from '../encoders/manifest.ts';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type BrowserBackend = Exclude<Backend, 'node'>;

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
}

export interface BackendInfo {
  backend: BrowserBackend;
  /** why WebGPU is not in use, in plain words, or null when it is */
  fallbackReason: string | null;
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

export type LoadStage = 'download' | 'verify' | 'compile' | 'warmup';

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

/** Request kind → its payload, progress and reply types. */
export interface Calls {
  'load-model': { request: { modelId: string; backend: BackendPreference }; progress: LoadProgress; reply: LoadedModel };
  probe: { request: { modelId: string; backend: BrowserBackend }; progress: LoadProgress; reply: ProbeResult };
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
