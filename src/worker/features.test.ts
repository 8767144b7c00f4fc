import { describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../encoders/manifest.ts';
import type { BrowserBackend, ImageRef, LoadedModel } from './protocol.ts';
import type { Loaded } from './models.ts';

// Decoding and the encoder stubbed: every encode is counted and gives one tiny tap.
const encoded = vi.hoisted(() => ({ count: 0 }));
vi.mock('../encoders/web/decode.ts', () => ({ decodeRgb: async () => ({}) }));
vi.mock('../encoders/web/ortWeb.ts', () => ({ runSession: async () => ({}) }));
vi.mock('../encoders/encode.ts', () => ({
  encodeImages: async () => {
    encoded.count += 1;
    return { layers: [{ data: new Float32Array([encoded.count]), images: 1, grid: 1, dim: 1, skip: 0 }], embeddings: null, embedDim: 0 };
  },
}));

const { carryFeatures, featuresFor } = await import('./features.ts');

function loaded(backend: BrowserBackend, variant: LoadedModel['variant'] = 'fp32'): Loaded {
  const backendInfo = { backend, fallbackReason: null, webgpuCheck: null, adapter: null, shaderF16: false, wasmThreads: 1, crossOriginIsolated: false };
  return { manifest: { id: 'm' } as ModelManifest, session: {} as Loaded['session'], reply: { modelId: 'm', variant, warmupMs: 0, backendInfo } };
}

const images = (n: number): ImageRef[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, name: `${i}.png`, blob: new Blob() }));
const geometry = { inputSize: 224, grid: null };
const signal = new AbortController().signal;
const encode = (model: Loaded, n: number) => featuresFor(model, geometry, images(n), () => undefined, signal);

describe('carryFeatures', () => {
  it('lets the WASM retry reuse what the lost GPU model read back, same model and variant only', async () => {
    const gpu = loaded('webgpu');
    await encode(gpu, 3);
    const wasm = loaded('wasm');
    carryFeatures(gpu.reply, wasm.reply);
    const retry = await encode(wasm, 5);
    expect(retry.encodedNow).toBe(2);
    expect(retry.features.map((f) => f.layers[0].data[0])).toEqual([1, 2, 3, 4, 5]);

    const fp16 = loaded('webgpu', 'fp16');
    await encode(fp16, 5);
    carryFeatures(fp16.reply, wasm.reply); // fp16 features differ from fp32 ones: not carried
    expect((await encode(wasm, 5)).encodedNow).toBe(5);
  });
});
