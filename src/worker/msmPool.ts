// MSM on the CPU in the browser: the WebAssembly SIMD kernel (engine/kernels/nearestRows.ts) on
// a pool of workers, one per core up to MAX_THREADS. Each worker holds its own copy of the
// feature set (no SharedArrayBuffer needed, so it is as fast without cross-origin isolation) and
// rows of image pairs go to whichever worker is free. A pool lives for one scoring run: closing
// it frees every copy at once, and cancelling stops at the next row. A scoring session uses the
// pool through `slots` instead (poolSlots.ts): every worker holds every image, and each pairs
// call is split across all of them.
import { rowsScorer } from '../engine/kernels/nearestRows.ts';
import type { FeatureSlotsFactory, PairRow, PairRows } from '../engine/msm.ts';
import type { FeatureSet, FeatureSetScorer } from '../engine/types.ts';
import { KernelThread } from './kernelThread.ts';
import { poolSlots } from './poolSlots.ts';

/** Each thread holds a copy of the set (66 MB for 83 images × 14² × 1024): bound the copies. */
const MAX_THREADS = 4;

export interface MsmPool {
  readonly threads: number;
  /** Sends the set to every worker; the rows then come from whichever worker is free. */
  load(set: FeatureSet): Promise<PairRows>;
  scoreFeatureSet: FeatureSetScorer;
  /** Feature slots for a scoring session: a store in every worker, pairs split across them. */
  slots: FeatureSlotsFactory;
  /** Pairs requests each thread has answered so far (diagnostics, tests). */
  pairsAnswered(): number[];
  close(): void;
}

export function createMsmPool(
  threads = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS)),
): MsmPool {
  const workers = Array.from({ length: threads }, () => new KernelThread());
  const load = async (set: FeatureSet): Promise<PairRows> => {
    await Promise.all(workers.map((w) => w.call({ type: 'load', set })));
    const idle = [...workers];
    return async (i): Promise<PairRow> => {
      const worker = idle.pop();
      if (!worker) throw new Error(`more rows in flight than the pool's ${threads} threads`);
      try {
        const reply = await worker.call({ type: 'row', i });
        if (reply.type !== 'row') throw new Error(`MSM worker answered ${reply.type} to a row`);
        return { forward: reply.forward, backward: reply.backward };
      } finally {
        idle.push(worker);
      }
    };
  };
  return {
    threads,
    load,
    scoreFeatureSet: rowsScorer(load, threads),
    slots: poolSlots(workers),
    pairsAnswered: () => workers.map((w) => w.pairsAnswered),
    close: () => workers.forEach((w) => w.terminate()),
  };
}
