// Main-thread side of the worker boundary: one promise per call, progress callbacks, and
// cancellation through AbortSignal.
import type { CallKind, Calls, FromWorker, ToWorker } from './protocol.ts';

/** The code of every call's error once the worker has crashed. */
export const WORKER_CRASHED = 'worker-crashed';

export class WorkerCallError extends Error {
  override readonly name = 'WorkerCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (reply: unknown) => void;
  reject: (err: WorkerCallError) => void;
  onProgress?: (p: unknown) => void;
}

export interface CallOptions<K extends CallKind> {
  signal?: AbortSignal;
  onProgress?: (p: Calls[K]['progress']) => void;
}

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /**
   * Set by an error nothing in the worker caught: onnxruntime's WebAssembly trapping (README,
   * "Adding a model in the page") leaves its memory in an unknown state, and a call made after it
   * may never be answered, so every call from then on fails at once.
   */
  private crashed: WorkerCallError | null = null;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e) => {
      this.crashed = new WorkerCallError(
        WORKER_CRASHED,
        `The inference engine in this tab stopped (${e.message || 'an error it could not recover from'}). Reload the page to go on: the batch is kept.`,
      );
      this.failAll(this.crashed);
    });
  }

  call<K extends CallKind>(
    kind: K,
    request: Calls[K]['request'],
    options: CallOptions<K> = {},
  ): Promise<Calls[K]['reply']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.crashed) return reject(this.crashed);
      if (options.signal?.aborted) return reject(new WorkerCallError('cancelled', 'Cancelled.'));
      this.pending.set(id, {
        resolve: resolve as (r: unknown) => void,
        reject,
        onProgress: options.onProgress as ((p: unknown) => void) | undefined,
      });
      options.signal?.addEventListener('abort', () => this.post({ type: 'cancel', id }), { once: true });
      this.post({ type: 'call', id, kind, request } as ToWorker);
    });
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') return pending.onProgress?.(message.progress);
    this.pending.delete(message.id);
    if (message.type === 'reply') pending.resolve(message.reply);
    else pending.reject(new WorkerCallError(message.error.code, message.error.message));
  }

  private failAll(error: WorkerCallError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
