import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendChoice } from '../encoders/web/backend.ts';

// onnxruntime and the model files stubbed: a session is an object with a release that fails, as
// it may on a lost device.
const opened = vi.hoisted(() => [] as Array<{ backend: string; release: () => Promise<void> }>);
vi.mock('../platform/browser/modelFiles.ts', () => ({
  fetchManifest: async (id: string) => ({ id }),
  fetchVariant: async () => new ArrayBuffer(0),
}));
vi.mock('../encoders/web/ortWeb.ts', () => ({
  configureOrt: () => 1,
  pickVariant: () => ({ dtype: 'fp32' }),
  openSession: async (_manifest: unknown, choice: BackendChoice) => {
    const session = {
      backend: choice.backend,
      release: vi.fn(async () => Promise.reject(new Error('device is lost'))),
    };
    opened.push(session);
    return {
      session,
      backend: choice.backend,
      variant: 'fp32',
      fallbackReason: choice.fallbackReason,
      webgpuCheck: null,
      warmupMs: 0,
    };
  },
}));

const adapter = {
  info: { vendor: 'test', architecture: 'fake', description: 'a test adapter' },
  features: new Set<string>(),
};
vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => adapter } });
afterEach(() => vi.unstubAllGlobals());

describe('ensureModel after the GPU device is lost', () => {
  it('drops the WebGPU model and loads the same request on WASM, with the reason', async () => {
    const { ensureModel } = await import('./models.ts');
    const { noteDeviceLost } = await import('../encoders/web/backend.ts');
    const request = { modelId: 'm', backend: 'auto' as const };
    const gpu = await ensureModel(request, () => undefined);
    expect(gpu.reply.backendInfo.backend).toBe('webgpu');
    expect(await ensureModel(request, () => undefined)).toBe(gpu);

    const reason = noteDeviceLost({ reason: 'unknown', message: 'driver reset' });
    const wasm = await ensureModel(request, () => undefined);
    expect(wasm.reply.backendInfo).toMatchObject({ backend: 'wasm', fallbackReason: reason, adapter: null });
    expect(opened.map((s) => s.backend)).toEqual(['webgpu', 'wasm']);
    await vi.waitFor(() => expect(opened[0].release).toHaveBeenCalledOnce()); // its failure is ignored
    expect(await ensureModel(request, () => undefined)).toBe(wasm);
  });
});
