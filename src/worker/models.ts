// The worker's loaded model: one onnxruntime session at a time, loads deduplicated so the page's
// model query and a scoring run that both ask for the same model share one download.
import type * as ort from 'onnxruntime-web/webgpu';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import { chooseBackend, deviceLostReason } from '../encoders/web/backend.ts';
import { fetchManifest, fetchVariant } from '../platform/browser/modelFiles.ts';
import { configureOrt, openSession, pickVariant } from '../encoders/web/ortWeb.ts';
import type { BackendPreference, LoadedModel, LoadProgress } from './protocol.ts';

export interface Loaded {
  manifest: ModelManifest;
  session: ort.InferenceSession;
  reply: LoadedModel;
}

export interface ModelRequest {
  modelId: string;
  backend: BackendPreference;
  variant?: VariantDtype | null;
}

let current: { request: ModelRequest; loaded: Promise<Loaded> } | null = null;
const listeners = new Set<(p: LoadProgress) => void>();

/** Opens a session for the request (download with byte progress, compile, warm-up). */
export async function loadSession(
  { modelId, backend: preference, variant: wanted }: ModelRequest,
  progress: (p: LoadProgress) => void,
  signal?: AbortSignal,
): Promise<Loaded> {
  const wasmThreads = configureOrt();
  const manifest = await fetchManifest(modelId);
  const choice = await chooseBackend(preference);
  // While the WebGPU session is checked against WASM, the reference's download and compile are
  // part of the check stage rather than a second "downloading the model".
  let checking = false;
  const ready = await openSession(
    manifest,
    choice,
    async (backend, dtype) => {
      const variant = pickVariant(
        manifest,
        backend,
        backend === 'webgpu' && choice.shaderF16,
        dtype ?? wanted ?? undefined,
      );
      const bytes = await fetchVariant(
        modelId,
        variant,
        (done, total) => checking || progress({ stage: 'download', done, total }),
        signal,
      );
      if (!checking) progress({ stage: 'compile', done: 0, total: 1 });
      return { bytes, dtype: variant.dtype };
    },
    () => {
      checking = true;
      progress({ stage: 'check', done: 0, total: 1 });
    },
  );
  progress({ stage: 'warmup', done: 1, total: 1 });
  const reply: LoadedModel = {
    modelId,
    variant: ready.variant,
    warmupMs: ready.warmupMs,
    backendInfo: {
      backend: ready.backend,
      fallbackReason: ready.fallbackReason,
      webgpuCheck: ready.webgpuCheck,
      adapter: ready.backend === 'webgpu' ? choice.summary : null,
      shaderF16: choice.shaderF16,
      wasmThreads,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
    },
  };
  return { manifest, session: ready.session, reply };
}

function sameRequest(a: ModelRequest, b: ModelRequest): boolean {
  return a.modelId === b.modelId && a.backend === b.backend && (a.variant ?? null) === (b.variant ?? null);
}

/** A model whose session lives on a GPU device that was lost: it can never run again. */
function onLostDevice(loaded: Loaded): boolean {
  return loaded.reply.backendInfo.backend === 'webgpu' && deviceLostReason() !== null;
}

async function release(session: ort.InferenceSession): Promise<void> {
  try {
    await session.release();
  } catch {
    // A session on a lost GPU device may fail to release; its GPU memory went with the device.
  }
}

/**
 * Starts loading `request` as the current model. The previous one is released once this one is
 * ready, not before: a run may still be inside it until then (releasing mid-run frees memory the
 * run uses).
 */
function startLoad(request: ModelRequest): Promise<Loaded> {
  const previous = current?.loaded;
  const loaded = loadSession(request, (p) => listeners.forEach((l) => l(p)));
  current = { request, loaded };
  loaded.then(
    async () => {
      const old = await previous?.catch(() => null);
      if (old) await release(old.session);
    },
    () => {
      if (current?.loaded === loaded) current = null;
    },
  );
  return loaded;
}

/**
 * The session for `request`, loading it when another (or none) is loaded, or when the loaded one
 * went with a lost GPU device (the reload then runs on WASM, since chooseBackend knows of the
 * loss). Progress goes to every caller waiting on the same load; a load is not cancelled by one
 * caller's abort, since others may share it.
 */
export async function ensureModel(request: ModelRequest, progress: (p: LoadProgress) => void): Promise<Loaded> {
  listeners.add(progress);
  try {
    const pending = current && sameRequest(current.request, request) ? current.loaded : startLoad(request);
    const loaded = await pending;
    if (!onLostDevice(loaded)) return loaded;
    if (current?.loaded === pending) startLoad(request);
    return await ensureModel(request, progress);
  } finally {
    listeners.delete(progress);
  }
}
