// Main-thread side of the worker boundary: one promise per call, progress callbacks, and
// cancellation through AbortSignal.
import type { CallKind, Calls, FromWorker, ToWorker, WorkerErrorPayload } from './protocol.ts';

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

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e) =>
      this.failAll({
        code: 'worker-crashed',
        message: `The background worker stopped: ${e.message}. Reload the page.`,
      }),
    );
  }

  call<K extends CallKind>(
    kind: K,
    request: Calls[K]['request'],
    options: CallOptions<K> = {},
  ): Promise<Calls[K]['reply']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
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

  private failAll(error: WorkerErrorPayload): void {
    for (const p of this.pending.values()) p.reject(new WorkerCallError(error.code, error.message));
    this.pending.clear();
  }
}
