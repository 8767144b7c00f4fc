import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserBackend, LoadedModel } from './protocol.ts';

// The loss is worker-wide state: each test gets fresh modules.
let backend: typeof import('../encoders/web/backend.ts');
let retryOnDeviceLoss: (typeof import('./deviceLoss.ts'))['retryOnDeviceLoss'];
beforeEach(async () => {
  vi.resetModules();
  backend = await import('../encoders/web/backend.ts');
  ({ retryOnDeviceLoss } = await import('./deviceLoss.ts'));
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

interface Model {
  reply: LoadedModel;
}

function model(backendName: BrowserBackend): Model {
  const backendInfo = {
    backend: backendName,
    fallbackReason: null,
    webgpuCheck: null,
    adapter: null,
    shaderF16: false,
    wasmThreads: 1,
    crossOriginIsolated: false,
  };
  return { reply: { modelId: 'm', variant: 'fp32', warmupMs: 0, backendInfo } };
}

/** `load` hands out these models in turn, as ensureModel would before and after the loss. */
function loads(...models: Model[]) {
  return vi.fn(async () => models.shift() as Model);
}

const signal = new AbortController().signal;
const lose = () => backend.noteDeviceLost({ reason: 'unknown', message: 'driver reset' });

describe('retryOnDeviceLoss', () => {
  it('runs once more on the reloaded model when the GPU device was lost, handing over the lost model', async () => {
    const [gpu, wasm] = [model('webgpu'), model('wasm')];
    backend.watchDevice({ lost: new Promise<GPUDeviceLostInfo>(() => undefined) });
    const run = vi.fn(async (m: Model, lost: Model | null) => {
      if (m === gpu) {
        lose();
        throw new Error('Failed to download data from buffer');
      }
      return { on: m.reply.backendInfo.backend, lost };
    });
    expect(await retryOnDeviceLoss(loads(gpu, wasm), run, signal)).toEqual({ on: 'wasm', lost: gpu });
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('passes any other failure through: a WASM model, a GPU error without a loss, a cancel', async () => {
    const boom = new Error('boom');
    const fails = vi.fn(async () => Promise.reject(boom));
    await expect(retryOnDeviceLoss(loads(model('wasm')), fails, signal)).rejects.toBe(boom);
    await expect(retryOnDeviceLoss(loads(model('webgpu')), fails, signal)).rejects.toBe(boom); // nothing watched: no loss
    lose();
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(retryOnDeviceLoss(loads(model('webgpu')), fails, cancelled.signal)).rejects.toBe(boom);
    expect(fails).toHaveBeenCalledTimes(3);
  });

  it('retries once: a failure of the WASM run reaches the caller as it is', async () => {
    lose();
    const second = new Error('out of memory');
    const run = vi.fn(async (m: Model) =>
      Promise.reject(m.reply.backendInfo.backend === 'webgpu' ? new Error('lost') : second),
    );
    await expect(retryOnDeviceLoss(loads(model('webgpu'), model('wasm')), run, signal)).rejects.toBe(second);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
