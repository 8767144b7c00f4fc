// Layer slots (engine layerSlots.ts) on the MSM pool's workers, for a scoring session: each
// worker keeps its own copy of every image in a store of its own, so a pairs call for image i
// against images js is split into one contiguous run of js per worker, all computed at once, and
// each degree's rows are merged back into msm.ts's PairRow layout.
import type { LayerSlots, LayerSlotsFactory } from '../engine/layerSlots.ts';
import type { PairRow } from '../engine/msm.ts';
import type { KernelThread } from './kernelThread.ts';

/** What the slots need of a worker (KernelThread), so a test can stand in for one. */
export type KernelPort = Pick<KernelThread, 'call' | 'notify' | 'closed'>;

let nextStore = 0;

/** Rows a session keeps queued on the workers, so they keep computing while the scoring worker encodes. */
const ROWS_AT_ONCE = 8;

/** js split into `parts` contiguous runs of near-equal length, each with its offset in js; empty runs only if `keepEmpty`. */
export function splitRuns(
  js: readonly number[],
  parts: number,
  keepEmpty = false,
): Array<{ at: number; js: number[] }> {
  const runs: Array<{ at: number; js: number[] }> = [];
  for (let k = 0; k < parts; k++) {
    const at = Math.floor((k * js.length) / parts);
    const end = Math.floor(((k + 1) * js.length) / parts);
    if (keepEmpty || end > at) runs.push({ at, js: js.slice(at, end) });
  }
  return runs;
}

const pairsOn = async (worker: KernelPort, store: number, i: number, js: number[]): Promise<PairRow[]> =>
  (await worker.call({ type: 'pairs', store, i, js })).rows;

export function poolSlots(workers: readonly KernelPort[]): LayerSlotsFactory {
  return (grid, dim, degrees, bands): LayerSlots => {
    const store = nextStore++;
    const patches = grid * grid;
    let destroyed = false;
    /** a write went out since the last pairs call: every worker must answer the next one */
    let written = false;
    for (const w of workers) w.notify({ type: 'open', store, grid, dim, degrees: [...degrees], bands });
    const live = (): void => {
      if (destroyed) throw new Error('these feature slots were destroyed');
    };
    return {
      rowsAtOnce: ROWS_AT_ONCE,
      put(slot, image) {
        live();
        // A copy per worker, transferred: posting the data itself would clone its whole buffer,
        // which may be far larger (a view). A failed write is reported by the worker's next pairs.
        written = true;
        for (const w of workers) {
          const data = image.data.slice();
          w.notify({ type: 'put', store, slot, image: { ...image, data } }, [data.buffer]);
        }
      },
      async pairs(i, js) {
        live();
        const count = js.length;
        // After writes even a worker with no partners is asked, so each reports a failed write now.
        const runs = splitRuns(js, workers.length, written);
        written = false;
        const parts = await Promise.all(runs.map((run, k) => pairsOn(workers[k], store, i, run.js)));
        return degrees.map((_, d) => {
          const forward = new Float32Array(patches * count);
          const backward = new Float32Array(count * patches);
          runs.forEach(({ at, js: part }, k) => {
            const n = part.length;
            const row = parts[k][d];
            // forward columns interleave per patch; backward rows follow each other
            for (let p = 0; p < patches; p++) forward.set(row.forward.subarray(p * n, (p + 1) * n), p * count + at);
            backward.set(row.backward, at * patches);
          });
          return { forward, backward };
        });
      },
      destroy() {
        if (destroyed) return;
        destroyed = true;
        for (const w of workers) if (!w.closed) w.notify({ type: 'drop', store }); // a closed pool dropped it already
      },
    };
  };
}
