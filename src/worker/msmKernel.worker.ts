// One thread of the WebAssembly MSM pool (msmPool.ts): keeps the current feature set in its own
// kernel instance and answers one row of image pairs at a time. Internal to the scoring worker,
// like onnxruntime's own wasm threads; the app still talks to one worker.
import { createNearestRows } from '../engine/kernels/nearestRows.ts';
import type { PairRow, PairRows } from '../engine/msm.ts';
import type { FeatureSet } from '../engine/types.ts';

export type KernelRequest = { type: 'load'; set: FeatureSet } | { type: 'row'; i: number };
export type KernelReply = { type: 'loaded' } | ({ type: 'row' } & PairRow) | { type: 'error'; message: string };

let rows: PairRows | null = null;

const reply = (message: KernelReply, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

self.onmessage = async ({ data: request }: MessageEvent<KernelRequest>) => {
  try {
    if (request.type === 'load') {
      rows = null; // drop the previous set's memory before allocating the next
      rows = createNearestRows(request.set);
      reply({ type: 'loaded' });
    } else {
      if (!rows) throw new Error('no feature set is loaded');
      const { forward, backward } = await rows(request.i);
      reply({ type: 'row', forward, backward }, [forward.buffer, backward.buffer]);
    }
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
