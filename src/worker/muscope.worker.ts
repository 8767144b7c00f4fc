// The one Web Worker: owns onnxruntime sessions and the engine, so the page never blocks.
import pMap from 'p-map';
import { EncoderError } from '../encoders/errors.ts';
import { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { probeImage } from '../platform/browser/decode.ts';
import { probeInput } from '../encoders/probeInput.ts';
import { destroyOrtDevice, runSession } from '../encoders/web/ortWeb.ts';
import { toPayload } from './errors.ts';
import { evaluateBatch } from './evaluate.ts';
import { ensureModel, loadSession } from './models.ts';
import type { CallKind, Calls, FromWorker, ImageCheck, ImageRef, ToWorker } from './protocol.ts';
import { scoreBatch } from './scoring.ts';
import { evidenceFor } from './evidence.ts';
import { addModel, listAddedModels, removeModel } from './addModel.ts';

const controllers = new Map<number, AbortController>();

/** Dropped files probed at once: the browser decodes them off this thread, on every core. */
const CHECKS_AT_ONCE = 4;

type Handler<K extends CallKind> = (
  request: Calls[K]['request'],
  progress: (p: Calls[K]['progress']) => void,
  signal: AbortSignal,
) => Promise<Calls[K]['reply']>;

const handlers: { [K in CallKind]: Handler<K> } = {
  'load-model': async (request, progress) => (await ensureModel(request, progress)).reply,
  probe: async ({ modelId, backend, variant }, progress, signal) => {
    const { manifest, session, reply } = await loadSession({ modelId, backend, variant }, progress, signal);
    try {
      if (reply.backendInfo.backend !== backend)
        throw new EncoderError(
          'session-failed',
          `Probe asked for ${backend} but got ${reply.backendInfo.backend}: ${reply.backendInfo.fallbackReason}`,
        );
      if (variant && reply.variant !== variant)
        throw new EncoderError('session-failed', `Probe asked for the ${variant} variant but got ${reply.variant}.`);
      const size = manifest.input.size;
      return {
        backend: reply.backendInfo.backend,
        outputs: await runSession(session, manifest.input.name, probeInput(size), 1, size),
      };
    } finally {
      await session.release();
    }
  },
  'check-images': async ({ images }, progress) => {
    let done = 0;
    const check = async (image: ImageRef): Promise<ImageCheck> => {
      try {
        return { key: image.key, ok: true, ...(await probeImage(image.blob, image.name)) };
      } catch (err) {
        if (!(err instanceof ImageFileError)) throw err;
        return { key: image.key, ok: false, problem: err.problem, reason: err.reason };
      } finally {
        progress({ done: ++done, total: images.length });
      }
    };
    return { checks: await pMap(images, check, { concurrency: CHECKS_AT_ONCE }) };
  },
  score: scoreBatch,
  evidence: async ({ key, patch, count }) => ({ evidence: await evidenceFor(key, patch, count) }),
  evaluate: evaluateBatch,
  'add-model': addModel,
  'added-models': listAddedModels,
  'remove-model': removeModel,
  'lose-gpu-device': async () => ({ reason: await destroyOrtDevice() }),
};

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

/** Typed arrays in a reply are transferred, not copied. */
function transferables(value: unknown, out: Transferable[] = []): Transferable[] {
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) out.push(value.buffer);
  else if (value && typeof value === 'object' && !(value instanceof Blob))
    for (const v of Object.values(value)) transferables(v, out);
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
