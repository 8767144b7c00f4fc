import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../worker/protocol.ts';
import { loadedModelKey, queryClient, showLoadedModel } from './queryClient.ts';

describe('showLoadedModel', () => {
  it('puts a score reply’s model where the loaded-model query of the same request reads it', () => {
    const before: LoadedModel = {
      modelId: 'm',
      variant: 'fp32',
      warmupMs: 5,
      backendInfo: {
        backend: 'webgpu',
        fallbackReason: null,
        webgpuCheck: null,
        adapter: null,
        shaderF16: false,
        wasmThreads: 4,
        crossOriginIsolated: true,
      },
    };
    queryClient.setQueryData(loadedModelKey('m', 'auto', null), before);
    const after: LoadedModel = {
      ...before,
      backendInfo: { ...before.backendInfo, backend: 'wasm', fallbackReason: 'The GPU device was lost (…)' },
    };
    showLoadedModel({ modelId: 'm', backend: 'auto', variant: null }, after);
    expect(queryClient.getQueryData(loadedModelKey('m', 'auto', null))).toEqual(after);
    expect(queryClient.getQueryData(loadedModelKey('m', 'wasm', null))).toBeUndefined();
  });
});
