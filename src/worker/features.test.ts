import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../encoders/manifest.ts';
import type { DeviceLayer } from '../gpu/index.ts';
import type { BrowserBackend, ImageRef, LoadedModel } from './protocol.ts';
import type { Loaded } from './models.ts';

// Decoding and both encoders stubbed: every image encoded is counted and gets one tiny tap holding
// its count, in CPU memory (WASM) or in a fake GPU buffer (WebGPU) whose read-back gives the count
// unless the device is "lost"; read-backs wait for `readBack`.
const gpu = vi.hoisted(() => ({
  encoded: 0,
  lost: false,
  destroyed: [] as number[],
  readBack: Promise.resolve(),
}));
vi.mock('../platform/browser/decode.ts', () => ({
  decodeRgb: async () => ({ data: new Uint8Array(3), width: 1, height: 1, channels: 3 }),
}));
vi.mock('../encoders/web/ortWeb.ts', () => ({ runSession: async () => ({}) }));
vi.mock('../encoders/encode.ts', () => ({
  encodeImages: async (_runner: unknown, _manifest: unknown, batch: unknown[]) => ({
    layers: [{ data: Float32Array.from(batch, () => ++gpu.encoded), images: batch.length, grid: 1, dim: 1, skip: 0 }],
    embeddings: null,
    embedDim: 0,
  }),
}));
vi.mock('../encoders/web/deviceTaps.ts', () => ({
  encodeOnDevice: async () => {
    const id = (gpu.encoded += 1);
    const buffer = { id, destroy: () => gpu.destroyed.push(id) };
    return { layers: [{ images: 1, grid: 1, dim: 1, skip: 0, perImage: [buffer] }], embedding: Promise.resolve(null) };
  },
}));
vi.mock('./gpuMusc.ts', () => ({
  ortGpuMusc: async () => ({
    download: async (layer: DeviceLayer) => {
      await gpu.readBack;
      if (gpu.lost) throw new Error('device lost');
      return {
        images: 1,
        grid: 1,
        dim: 1,
        skip: 0,
        data: new Float32Array([(layer.perImage[0] as unknown as { id: number }).id]),
      };
    },
  }),
}));

const { assembleOnHost, carryFeatures, featuresFor } = await import('./features.ts');

const manifest = {
  id: 'm',
  input: { size: 224 },
  taps: [{ name: 't', layout: 'nchw', dim: 1, grid: 1 }],
} as unknown as ModelManifest;

function loaded(backend: BrowserBackend, variant: LoadedModel['variant'] = 'fp32'): Loaded {
  const backendInfo = {
    backend,
    fallbackReason: null,
    webgpuCheck: null,
    adapter: null,
    shaderF16: false,
    wasmThreads: 1,
    crossOriginIsolated: false,
  };
  return { manifest, session: {} as Loaded['session'], reply: { modelId: 'm', variant, warmupMs: 0, backendInfo } };
}

const images = (n: number): ImageRef[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, name: `${i}.png`, blob: new Blob() }));
const geometry = { inputSize: 224, grid: null };
const signal = new AbortController().signal;
const encode = (model: Loaded, n: number) => featuresFor(model, geometry, images(n), () => undefined, signal);
const hostValues = async (model: Loaded, n: number) =>
  Array.from((await assembleOnHost(manifest, (await encode(model, n)).features, ['t'])).layers[0].data);

beforeEach(async () => {
  await encode(loaded('wasm'), 0); // an empty batch empties the cache
  Object.assign(gpu, { encoded: 0, lost: false, destroyed: [], readBack: Promise.resolve() });
});

describe('features on the GPU', () => {
  it('come back to CPU memory, and their GPU copies are freed once read back', async () => {
    const model = loaded('webgpu');
    expect(await hostValues(model, 3)).toEqual([1, 2, 3]);
    expect(gpu.destroyed).toEqual([1, 2, 3]);
    expect((await encode(model, 3)).encodedNow).toBe(0); // cached in CPU memory
  });

  it('count as ready only once read back, so a device lost after "1 ready" keeps that one', async () => {
    let release = () => undefined as void;
    gpu.readBack = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    const run = featuresFor(loaded('webgpu'), geometry, images(2), (done) => seen.push(done), signal);
    await vi.waitFor(() => expect(gpu.encoded).toBe(2));
    expect(seen).toEqual([0]);
    release();
    await run;
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe('carryFeatures', () => {
  it('lets the WASM retry reuse what the lost GPU model read back, same model and variant only', async () => {
    const onGpu = loaded('webgpu');
    await encode(onGpu, 3);
    const wasm = loaded('wasm');
    await carryFeatures(onGpu.reply, wasm.reply);
    const retry = await encode(wasm, 5);
    expect(retry.encodedNow).toBe(2);
    expect(await hostValues(wasm, 5)).toEqual([1, 2, 3, 4, 5]);

    const fp16 = loaded('webgpu', 'fp16');
    await encode(fp16, 5);
    await carryFeatures(fp16.reply, wasm.reply); // fp16 features differ from fp32 ones: not carried
    expect((await encode(wasm, 5)).encodedNow).toBe(5);
  });

  it('encodes again what had not come back when the device was lost', async () => {
    gpu.lost = true;
    const onGpu = loaded('webgpu', 'int8-weight');
    await expect(encode(onGpu, 2)).rejects.toThrow('device lost');
    const wasm = loaded('wasm', 'int8-weight');
    await carryFeatures(onGpu.reply, wasm.reply);
    expect((await encode(wasm, 2)).encodedNow).toBe(2);
    expect(gpu.destroyed).toEqual([1, 2]);
  });
});
