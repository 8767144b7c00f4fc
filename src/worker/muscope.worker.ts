// The one Web Worker: owns onnxruntime sessions and the engine, so the page never blocks.
import type * as ort from 'onnxruntime-web/webgpu';
import { EncoderError } from '../encoders/errors.ts';
import type { ModelManifest } from '../encoders/manifest.ts';
import { chooseBackend } from '../encoders/web/backend.ts';
import { fetchManifest, fetchVariant } from '../encoders/web/modelFiles.ts';
import { probeInput } from '../encoders/probeInput.ts';
import { configureOrt, openSession, pickVariant, runSession } from '../encoders/web/ortWeb.ts';
import { MuscError } from '../engine/errors.ts';
import type { CallKind, Calls, FromWorker, LoadProgress, ToWorker, WorkerErrorPayload } from './protocol.ts';

interface Loaded {
  manifest: ModelManifest;
  session: ort.InferenceSession;
  reply: Calls['load-model']['reply'];
}

let loaded: Loaded | null = null;
const controllers = new Map<number, AbortController>();

type Handler<K extends CallKind> = (request: Calls[K]['request'], progress: (p: Calls[K]['progress']) => void, signal: AbortSignal) => Promise<Calls[K]['reply']>;

async function loadSession(modelId: string, preference: Calls['load-model']['request']['backend'], progress: (p: LoadProgress) => void, signal: AbortSignal) {
  const wasmThreads = configureOrt();
  const manifest = await fetchManifest(modelId);
  const choice = await chooseBackend(preference);
  let variantDtype = pickVariant(manifest, choice.backend, choice.shaderF16).dtype;
  const ready = await openSession(manifest, choice, async (backend) => {
    const variant = pickVariant(manifest, backend, backend === 'webgpu' && choice.shaderF16);
    variantDtype = variant.dtype;
    const bytes = await fetchVariant(modelId, variant, (done, total) => progress({ stage: 'download', done, total }), signal);
    progress({ stage: 'compile', done: 0, total: 1 });
    return bytes;
  });
  progress({ stage: 'warmup', done: 1, total: 1 });
  const reply: Calls['load-model']['reply'] = {
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

const handlers: { [K in CallKind]: Handler<K> } = {
  'load-model': async ({ modelId, backend }, progress, signal) => {
    if (loaded && loaded.reply.modelId === modelId && (backend === 'auto' || loaded.reply.backendInfo.backend === backend)) return loaded.reply;
    const next = await loadSession(modelId, backend, progress, signal);
    await loaded?.session.release();
    loaded = next;
    return next.reply;
  },
  probe: async ({ modelId, backend }, progress, signal) => {
    const { manifest, session, reply } = await loadSession(modelId, backend, progress, signal);
    try {
      if (reply.backendInfo.backend !== backend) throw new EncoderError('session-failed', `Probe asked for ${backend} but got ${reply.backendInfo.backend}: ${reply.backendInfo.fallbackReason}`);
      const size = manifest.input.size;
      return { backend: reply.backendInfo.backend, outputs: await runSession(session, manifest.input.name, probeInput(size), 1, size) };
    } finally {
      await session.release();
    }
  },
};

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

function toPayload(err: unknown): WorkerErrorPayload {
  if (err instanceof MuscError || err instanceof EncoderError) return { code: err.code, message: err.message };
  if (err instanceof DOMException && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: `Something went wrong inside MuScope: ${err instanceof Error ? err.message : String(err)}. Reload the page and try again.` };
}

/** Typed arrays in a reply are transferred, not copied. */
function transferables(value: unknown, out: Transferable[] = []): Transferable[] {
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) out.push(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) transferables(v, out);
  return out;
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') return controllers.get(message.id)?.abort();
  const controller = new AbortController();
  controllers.set(message.id, controller);
  const handler = handlers[message.kind] as Handler<CallKind>;
  handler(message.request, (progress) => post({ type: 'progress', id: message.id, progress }), controller.signal)
    .then((reply) => post({ type: 'reply', id: message.id, reply }, [...new Set(transferables(reply))]))
    .catch((err: unknown) => post({ type: 'error', id: message.id, error: toPayload(err) }))
    .finally(() => controllers.delete(message.id));
});
