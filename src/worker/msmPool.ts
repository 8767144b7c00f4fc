// MSM on the CPU in the browser: the WebAssembly SIMD kernel (engine/kernels/nearestRows.ts) on
// a pool of workers, one per core up to MAX_THREADS. Each worker holds its own copy of the
// feature set (no SharedArrayBuffer needed, so it is as fast without cross-origin isolation) and
// rows of image pairs go to whichever worker is free. A pool lives for one scoring run: closing
// it frees every copy at once, and cancelling stops at the next row.
import { rowsScorer } from '../engine/kernels/nearestRows.ts';
import type { PairRow, PairRows } from '../engine/msm.ts';
import type { FeatureSet, FeatureSetScorer } from '../engine/types.ts';
import type { KernelReply, KernelRequest } from './msmKernel.worker.ts';

/** Each thread holds a copy of the set (66 MB for 83 images × 14² × 1024): bound the copies. */
const MAX_THREADS = 4;

export interface MsmPool {
  readonly threads: number;
  /** Sends the set to every worker; the rows then come from whichever worker is free. */
  load(set: FeatureSet): Promise<PairRows>;
  scoreFeatureSet: FeatureSetScorer;
  close(): void;
}

class KernelThread {
  private readonly worker = new Worker(new URL('./msmKernel.worker.ts', import.meta.url), {
    type: 'module',
    name: 'muscope-msm',
  });
  private pending: { resolve: (reply: KernelReply) => void; reject: (err: Error) => void } | null = null;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<KernelReply>) => this.settle((p) => p.resolve(data));
    this.worker.onerror = (e) => this.settle((p) => p.reject(new Error(`an MSM worker stopped: ${e.message}`)));
  }

  private settle(act: (p: NonNullable<KernelThread['pending']>) => void): void {
    const pending = this.pending;
    this.pending = null;
    if (pending) act(pending);
  }

  /** One request at a time per thread: the pool never sends a second before the first returns. */
  async request(message: KernelRequest): Promise<KernelReply> {
    const reply = await new Promise<KernelReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
    if (reply.type === 'error') throw new Error(`MSM worker: ${reply.message}`);
    return reply;
  }

  terminate(): void {
    this.worker.terminate();
    this.settle((p) => p.reject(new Error('the MSM pool was closed')));
  }
}

export function createMsmPool(
  threads = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_THREADS)),
): MsmPool {
  const workers = Array.from({ length: threads }, () => new KernelThread());
  const load = async (set: FeatureSet): Promise<PairRows> => {
    await Promise.all(workers.map((w) => w.request({ type: 'load', set })));
    const idle = [...workers];
    return async (i): Promise<PairRow> => {
      const worker = idle.pop();
      if (!worker) throw new Error(`more rows in flight than the pool's ${threads} threads`);
      try {
        const reply = await worker.request({ type: 'row', i });
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
    close: () => workers.forEach((w) => w.terminate()),
  };
}
