// One thread of the WebAssembly MSM pool (msmPool.ts): keeps the current feature set in its own
// kernel instance and answers one row of image pairs at a time; for scoring sessions it also
// holds feature slot stores (slotStores.ts). Internal to the scoring worker, like onnxruntime's
// own wasm threads; the app still talks to one worker.
import { createNearestRows } from '../engine/kernels/nearestRows.ts';
import type { PairRow, PairRows } from '../engine/msm.ts';
import type { FeatureSet } from '../engine/types.ts';
import { SlotStores } from './slotStores.ts';

/** Messages the pool sends without waiting: message order per worker puts them before any later call. */
export type KernelNotice =
  | { type: 'open'; store: number; patches: number; dim: number }
  | { type: 'put'; store: number; slot: number; z: Float32Array }
  | { type: 'drop'; store: number };
/** Messages answered by a reply carrying the same id. */
export type KernelCall =
  | { type: 'load'; set: FeatureSet }
  | { type: 'row'; i: number }
  | { type: 'pairs'; store: number; i: number; js: number[] };
export type KernelRequest = KernelNotice | (KernelCall & { id: number });
export type KernelReply = { id: number } & (
  { type: 'loaded' } | ({ type: 'row' } & PairRow) | ({ type: 'pairs' } & PairRow) | { type: 'error'; message: string }
);

let rows: PairRows | null = null;
const stores = new SlotStores();

const reply = (message: KernelReply, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

async function answer(request: KernelCall & { id: number }): Promise<void> {
  const { id } = request;
  if (request.type === 'load') {
    rows = null; // drop the previous set's memory before allocating the next
    rows = createNearestRows(request.set);
    reply({ id, type: 'loaded' });
  } else if (request.type === 'row') {
    if (!rows) throw new Error('no feature set is loaded');
    const { forward, backward } = await rows(request.i);
    reply({ id, type: 'row', forward, backward }, [forward.buffer, backward.buffer]);
  } else {
    const { forward, backward } = await stores.pairs(request.store, request.i, request.js);
    reply({ id, type: 'pairs', forward, backward }, [forward.buffer, backward.buffer]);
  }
}

self.onmessage = async ({ data: request }: MessageEvent<KernelRequest>) => {
  switch (request.type) {
    case 'open':
      return stores.open(request.store, request.patches, request.dim);
    case 'put':
      return stores.put(request.store, request.slot, request.z);
    case 'drop':
      return stores.drop(request.store);
    default:
      try {
        await answer(request);
      } catch (err) {
        reply({ id: request.id, type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
  }
};
