// The worker's loaded model: one onnxruntime session at a time, loads deduplicated so the page's
// model query and a scoring run that both ask for the same model share one download.
import type * as ort from 'onnxruntime-web/webgpu';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import { chooseBackend } from '../encoders/web/backend.ts';
import { fetchManifest, fetchVariant } from '../encoders/web/modelFiles.ts';
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
export async function loadSession({ modelId, backend: preference, variant: wanted }: ModelRequest, progress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<Loaded> {
  const wasmThreads = configureOrt();
  const manifest = await fetchManifest(modelId);
  const choice = await chooseBackend(preference);
  let variantDtype = pickVariant(manifest, choice.backend, choice.shaderF16, wanted ?? undefined).dtype;
  const ready = await openSession(manifest, choice, async (backend) => {
    const variant = pickVariant(manifest, backend, backend === 'webgpu' && choice.shaderF16, wanted ?? undefined);
    variantDtype = variant.dtype;
    const bytes = await fetchVariant(modelId, variant, (done, total) => progress({ stage: 'download', done, total }), signal);
    progress({ stage: 'compile', done: 0, total: 1 });
    return bytes;
  });
  progress({ stage: 'warmup', done: 1, total: 1 });
  const reply: LoadedModel = {
    modelId,
    variant: variantDtype,
    warmupMs: ready.warmupMs,
    backendInfo: {
      backend: ready.backend,
      fallbackReason: ready.fallbackReason,
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

/**
 * The session for `request`, loading it when another (or none) is loaded. Progress goes to every
 * caller waiting on the same load; a load is not cancelled by one caller's abort, since others
 * may share it.
 */
export async function ensureModel(request: ModelRequest, progress: (p: LoadProgress) => void): Promise<Loaded> {
  listeners.add(progress);
  try {
    if (!current || !sameRequest(current.request, request)) {
      const previous = current?.loaded;
      const loaded = loadSession(request, (p) => listeners.forEach((l) => l(p)));
      current = { request, loaded };
      loaded.then(
        async () => (await previous?.catch(() => null))?.session.release(),
        () => {
          if (current?.loaded === loaded) current = null;
        },
      );
    }
    return await current.loaded;
  } finally {
    listeners.delete(progress);
  }
}
