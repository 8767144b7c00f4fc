import { describe, expect, it } from 'vitest';
import { WORKER_CRASHED, WorkerClient, WorkerCallError } from './client.ts';
import type { ToWorker } from './protocol.ts';

/** A worker that records what it is sent and answers nothing unless told; events as a browser's Worker fires them. */
class FakeWorker extends EventTarget {
  readonly sent: ToWorker[] = [];
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  reply(id: number, reply: unknown): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data: { type: 'reply', id, reply } }));
  }
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

const clientOf = (worker: FakeWorker) => new WorkerClient(worker as unknown as Worker);

describe('WorkerClient', () => {
  it('answers each call with its own reply', async () => {
    const worker = new FakeWorker();
    const client = clientOf(worker);
    const first = client.call('added-models', {});
    const second = client.call('lose-gpu-device', {});
    const [a, b] = worker.sent.map((m) => (m.type === 'call' ? m.id : -1));
    worker.reply(b, { reason: 'lost' });
    worker.reply(a, { models: [] });
    expect(await second).toEqual({ reason: 'lost' });
    expect(await first).toEqual({ models: [] });
  });

  it('after an error the worker did not catch, fails the waiting calls and every later one at once, saying to reload', async () => {
    const worker = new FakeWorker();
    const client = clientOf(worker);
    const waiting = client.call('load-model', { modelId: 'm', backend: 'auto', variant: null });
    worker.crash('RuntimeError: memory access out of bounds');
    const failure = await waiting.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkerCallError);
    expect(failure).toMatchObject({ code: WORKER_CRASHED });
    expect((failure as Error).message).toContain('memory access out of bounds');
    expect((failure as Error).message).toContain('Reload the page');

    const sentBefore = worker.sent.length;
    await expect(client.call('added-models', {})).rejects.toMatchObject({ code: WORKER_CRASHED });
    expect(worker.sent).toHaveLength(sentBefore); // not sent to a worker that may never answer
  });
});
