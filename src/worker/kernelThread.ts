// One worker of the MSM pool (msmPool.ts) seen from the pool: calls (a session's pairs) are
// matched to their replies by id, so several may be in flight on one worker; notices (a session's
// features) go out without a reply, and the worker's message order keeps them before later calls.
import type { KernelCall, KernelNotice, KernelReply, KernelRequest } from './msmKernel.worker.ts';

type Answer = Exclude<KernelReply, { type: 'error' }>;

interface Pending {
  resolve: (reply: Answer) => void;
  reject: (err: Error) => void;
}

export class KernelThread {
  private readonly worker = new Worker(new URL('./msmKernel.worker.ts', import.meta.url), {
    type: 'module',
    name: 'muscope-msm',
  });
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private terminated = false;
  /** why the worker stopped: later calls would never be answered, so they fail at once */
  private stopped: Error | null = null;
  private answeredPairs = 0;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<KernelReply>) => {
      const pending = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (!pending) return;
      if (data.type === 'error') pending.reject(new Error(`MSM worker: ${data.message}`));
      else {
        this.answeredPairs += 1;
        pending.resolve(data);
      }
    };
    this.worker.onerror = (e) => {
      e.preventDefault(); // handled here: it must not reach the page as this worker's own crash
      this.stopped = new Error(`an MSM worker stopped: ${e.message}`);
      this.rejectAll(this.stopped);
    };
  }

  /** pairs requests answered, to show that a session's work was spread */
  get pairsAnswered(): number {
    return this.answeredPairs;
  }

  get closed(): boolean {
    return this.terminated;
  }

  private rejectAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }

  call(message: KernelCall): Promise<Answer> {
    if (this.terminated) return Promise.reject(new Error('the MSM pool was closed'));
    if (this.stopped) return Promise.reject(this.stopped);
    const request: KernelRequest = { ...message, id: this.nextId++ };
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  /** Fire and forget; `transfer` hands buffers over (the caller keeps none of them). */
  notify(message: KernelNotice, transfer: Transferable[] = []): void {
    if (this.terminated) throw new Error('the MSM pool was closed');
    const request: KernelRequest = message;
    this.worker.postMessage(request, { transfer });
  }

  terminate(): void {
    this.terminated = true;
    this.worker.terminate();
    this.rejectAll(new Error('the MSM pool was closed'));
  }
}
