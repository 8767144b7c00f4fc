// One thread of the WebAssembly MSM pool (msmPool.ts): holds the layer slot stores of scoring
// sessions (slotStores.ts, the WebAssembly SIMD kernel over each) and answers pairs of images
// between their slots, every degree at once. Internal to the scoring worker, like onnxruntime's own wasm threads; the
// app still talks to one worker.
import type { PatchBands } from '../engine/alignment.ts';
import type { PairRow } from '../engine/msm.ts';
import type { LayerFeatures } from '../engine/types.ts';
import { SlotStores } from './slotStores.ts';

/** Messages the pool sends without waiting: message order per worker puts them before any later call. */
export type KernelNotice =
  | { type: 'open'; store: number; grid: number; dim: number; degrees: number[]; bands?: PatchBands }
  | { type: 'put'; store: number; slot: number; image: LayerFeatures }
  | { type: 'drop'; store: number };
/** Messages answered by a reply carrying the same id. */
export type KernelCall = { type: 'pairs'; store: number; i: number; js: number[] };
export type KernelRequest = KernelNotice | (KernelCall & { id: number });
/** pairs: one PairRow per degree */
export type KernelReply = { id: number } & ({ type: 'pairs'; rows: PairRow[] } | { type: 'error'; message: string });

const stores = new SlotStores();

const reply = (message: KernelReply, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

async function answer({ id, store, i, js }: KernelCall & { id: number }): Promise<void> {
  const rows = await stores.pairs(store, i, js);
  reply(
    { id, type: 'pairs', rows },
    rows.flatMap(({ forward, backward }) => [forward.buffer, backward.buffer]),
  );
}

self.onmessage = async ({ data: request }: MessageEvent<KernelRequest>) => {
  switch (request.type) {
    case 'open':
      return stores.open(request.store, request.grid, request.dim, request.degrees, request.bands);
    case 'put':
      return stores.put(request.store, request.slot, request.image);
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
