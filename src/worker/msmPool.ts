// MSM on the CPU in the browser: the WebAssembly SIMD kernel (engine/kernels/nearestRows.ts) on
// a pool of workers, one per core up to MAX_THREADS, offered to a scoring session as layer
// slots (`slots`, poolSlots.ts): every worker holds its own copy of every image (no
// SharedArrayBuffer needed, so it is as fast without cross-origin isolation), and each pairs call
// is split across all of them. Closing the pool frees every copy at once.
import type { LayerSlotsFactory } from '../engine/layerSlots.ts';
import { KernelThread } from './kernelThread.ts';
import { poolSlots } from './poolSlots.ts';

/** Each thread holds a copy of the features (66 MB a layer for 83 images × 14² × 1024, every degree from it): bound the copies. */
const MAX_THREADS = 4;

export interface MsmPool {
  readonly threads: number;
  /** Layer slots for a scoring session: a store in every worker, pairs split across them. */
  slots: LayerSlotsFactory;
  /** Pairs requests each thread has answered so far (diagnostics, tests). */
  pairsAnswered(): number[];
  close(): void;
}

/** Threads a pool gets by default: one per core, up to MAX_THREADS. */
export const poolThreads = (): number => Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS));

export function createMsmPool(threads = poolThreads()): MsmPool {
  const workers = Array.from({ length: threads }, () => new KernelThread());
  return {
    threads,
    slots: poolSlots(workers),
    pairsAnswered: () => workers.map((w) => w.pairsAnswered),
    close: () => workers.forEach((w) => w.terminate()),
  };
}
