import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../manifest.ts';
import type { BackendChoice } from './backend.ts';
import type { VariantBytes } from './ortWeb.ts';

// onnxruntime stubbed: each backend's session answers the probe with the values set per test.
const fake = vi.hoisted(() => ({
  values: { webgpu: [1, 2, 3, 4], wasm: [1, 2, 3, 4] } as Record<string, number[]>,
  released: [] as string[],
  outputsOnGpu: {} as Record<string, unknown>,
}));
vi.mock('onnxruntime-web/webgpu', () => ({
  Tensor: class {},
  env: { webgpu: { device: Promise.resolve({ lost: new Promise(() => undefined) }) }, wasm: {} },
  InferenceSession: {
    create: async (bytes: Uint8Array, options: { executionProviders: string[]; preferredOutputLocation?: unknown }) => {
      const [backend] = options.executionProviders;
      fake.outputsOnGpu[backend] = options.preferredOutputLocation;
      // Files of another size stand for other variants: their values are set under backend:size.
      const key = bytes.byteLength === 0 ? backend : `${backend}:${bytes.byteLength}`;
      return {
        run: async () => ({
          tap: { dims: [1, 4], getData: async () => Float32Array.from(fake.values[key]), dispose: () => undefined },
        }),
        release: async () => void fake.released.push(key),
      };
    },
  },
}));

const { openSession } = await import('./ortWeb.ts');
const manifest = {
  id: 'm',
  input: { name: 'pixel_values', size: 8 },
  taps: [{ name: 'tap' }],
} as unknown as ModelManifest;
const gpuChoice: BackendChoice = {
  backend: 'webgpu',
  fallbackReason: null,
  adapter: null,
  summary: null,
  shaderF16: false,
};
const bytes = async () => ({ bytes: new ArrayBuffer(0), dtype: 'int8-weight' as const });

describe('openSession on WebGPU', () => {
  beforeEach(() => {
    fake.values.webgpu = [1, 2, 3, 4];
    fake.released.length = 0;
  });

  it('keeps the GPU session when it agrees with WASM, with the measured difference', async () => {
    fake.values.webgpu = [1, 2, 3, 4.0004];
    const onCheck = vi.fn();
    const ready = await openSession(manifest, gpuChoice, bytes, onCheck);
    expect(onCheck).toHaveBeenCalledOnce();
    expect(ready).toMatchObject({ backend: 'webgpu', variant: 'int8-weight', fallbackReason: null });
    expect(ready.webgpuCheck).toEqual({
      maxRelative: expect.closeTo(1e-4, 6),
      tolerance: 1e-3,
      against: 'int8-weight',
    });
    expect(fake.released).toEqual(['wasm']);
    // The taps stay on the GPU for our kernels; WASM outputs are always in CPU memory.
    expect(fake.outputsOnGpu).toEqual({ webgpu: { tap: 'gpu-buffer' }, wasm: undefined });
  });

  it('runs on WASM, saying why, when the GPU gives different numbers', async () => {
    fake.values.webgpu = [1, 2, 3.2, 4];
    const ready = await openSession(manifest, gpuChoice, bytes);
    expect(ready.backend).toBe('wasm');
    expect(ready.webgpuCheck).toBeNull();
    expect(ready.fallbackReason).toMatch(
      /int8-weight model gave different results on this GPU than on the CPU \(largest relative difference 5\.0e-2, allowed 0\.001\)/,
    );
    expect(fake.released).toEqual(['webgpu']);
  });

  it('tries fp32 on the GPU when fp16 disagrees with fp32 on WASM, and says so', async () => {
    Object.assign(fake.values, { 'webgpu:16': [1, 2, 3.1, 4], 'webgpu:32': [1, 2, 3, 4.00001] });
    const variants = { fp16: 16, fp32: 32 } as const;
    const loadBytes: VariantBytes = async (backend, dtype) => {
      const chosen = backend === 'wasm' || dtype === 'fp32' ? 'fp32' : 'fp16';
      return { bytes: new ArrayBuffer(backend === 'wasm' ? 0 : variants[chosen]), dtype: chosen };
    };
    const ready = await openSession(manifest, gpuChoice, loadBytes);
    expect(ready).toMatchObject({ backend: 'webgpu', variant: 'fp32' });
    expect(ready.webgpuCheck).toEqual({ maxRelative: expect.closeTo(2.5e-6, 8), tolerance: 1e-3, against: 'fp32' });
    expect(ready.fallbackReason).toMatch(
      /^The fp16 model gave different results on this GPU than on the CPU \(largest relative difference 2\.5e-2, allowed 0\.02\); running fp32 on WebGPU instead\.$/,
    );
    expect(fake.released).toEqual(['webgpu:16', 'wasm']);
  });

  it('does not check a model the user put on WASM', async () => {
    const onCheck = vi.fn();
    const ready = await openSession(
      manifest,
      { ...gpuChoice, backend: 'wasm', fallbackReason: 'WASM was chosen in the settings.' },
      bytes,
      onCheck,
    );
    expect(ready).toMatchObject({
      backend: 'wasm',
      webgpuCheck: null,
      fallbackReason: 'WASM was chosen in the settings.',
    });
    expect(onCheck).not.toHaveBeenCalled();
  });

  it('runs on WASM when the GPU gives NaN', async () => {
    fake.values.webgpu = [1, Number.NaN, 3, 4];
    const ready = await openSession(manifest, gpuChoice, bytes);
    expect(ready.backend).toBe('wasm');
    expect(ready.fallbackReason).toMatch(/NaN/);
  });
});
