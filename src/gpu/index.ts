// MuSc's feature stages on WebGPU, on any GPUDevice: in the app the one onnxruntime-web created
// (ort.env.webgpu.device), so encoder taps and our kernels share a device; in tests and benches
// one from requestMuscDevice. Results match the CPU engine (src/engine) within float rounding.

import type { LayerFeatures } from '../engine/types.ts';
import { BufferPool } from './buffers.ts';
import { checked, createContext, type GpuContext } from './context.ts';
import type { DeviceLayer } from './deviceLayer.ts';
import { readFeatureSet, uploadFeatureSet } from './features.ts';
import { lnamdOnGpu } from './lnamd.ts';
import { msmOnGpu, type IntervalWindow, type MsmProgress } from './msm.ts';
import type { FeatureStorage } from './shaders/storage.ts';
import { channelMeansOnGpu, downloadLayer, tapTokensOnGpu, type TapSource } from './taps.ts';

export { onDevice, type DeviceLayer } from './deviceLayer.ts';
export { requestMuscDevice } from './device.ts';
export { gpuSlots, type GpuSlotsOptions } from './slots.ts';
export type { FeatureStorage, IntervalWindow, MsmProgress, TapSource };

/**
 * How far f16 storage may move results from the reference: rounding unit rows to half precision
 * (~5e-4 relative) moves MSM scores by up to ~2e-3 on the golden cases (measured on lavapipe) and
 * leaves their metrics equal or within 3e-4.
 */
export const F16_STORAGE_TOLERANCE = { scores: 5e-3, pipelineMetrics: 1e-3 } as const;

export interface WebGpuMuscOptions {
  /**
   * Element type of the unit rows made by the GPU LNAMD. 'f32' (default) matches the CPU engine
   * within 1e-4; 'f16' halves memory (needs 'shader-f16'), sums still run in f32.
   */
  storage?: FeatureStorage;
  /** cap on one buffer binding below the device's limits (tests use it to force chunking) */
  maxBindingBytes?: number;
}

export interface WebGpuMusc {
  readonly name: string;
  /** LNAMD at degree r on the GPU, read back as unit rows Z [N, P, D] (f32). */
  lnamd(layer: LayerFeatures | DeviceLayer, r: number, signal?: AbortSignal): Promise<Float32Array>;
  /** The CPU engine's mutualScores contract on the GPU: z [N, P, D] unit rows → scores [N, P]. */
  mutualScores(
    z: Float32Array,
    images: number,
    patches: number,
    dim: number,
    window: IntervalWindow,
    options?: MsmProgress,
  ): Promise<Float64Array>;
  /**
   * LNAMD then MSM of one (degree, layer) set without the features leaving the GPU; the shape of
   * RunOptions.scoreFeatureSet, so runMusc can run its scoring here.
   */
  scoreFeatureSet(
    layer: LayerFeatures | DeviceLayer,
    r: number,
    window: IntervalWindow,
    options?: MsmProgress,
  ): Promise<Float64Array>;
  /** One image's tap, from an encoder output buffer on this device, as patch tokens in a new buffer (a DeviceLayer's perImage entry). */
  tapTokens(source: GPUBuffer, tap: TapSource, grid: number): Promise<GPUBuffer>;
  /** The channel means of one image's CNN map [C, H, W] on this device: submitted, then `values` read back. */
  channelMeans(
    source: GPUBuffer,
    channels: number,
    height: number,
    width: number,
  ): Promise<{ values: Promise<Float32Array> }>;
  /** A DeviceLayer's tokens read back into CPU memory. */
  download(layer: DeviceLayer): Promise<LayerFeatures>;
}

export function createWebGpuMusc(device: GPUDevice, options: WebGpuMuscOptions = {}): WebGpuMusc {
  const ctx: GpuContext = createContext(device, options.storage ?? 'f32', options.maxBindingBytes);
  /** Runs `body` with a pool whose GPU buffers are freed however it ends, GPU errors surfaced. */
  const withBuffers = <T>(body: (pool: BufferPool) => Promise<T>): Promise<T> =>
    checked(device, async () => {
      const pool = new BufferPool();
      try {
        return await body(pool);
      } finally {
        pool.destroy();
      }
    });
  return {
    name: `webgpu-${ctx.storage}`,
    lnamd: (layer, r, signal) =>
      withBuffers(async (pool) => readFeatureSet(ctx, await lnamdOnGpu(ctx, pool, layer, r, signal))),
    mutualScores: (z, images, patches, dim, window, progress) =>
      withBuffers((pool) =>
        msmOnGpu(ctx, pool, uploadFeatureSet(ctx, pool, z, images, patches, dim), window, progress),
      ),
    scoreFeatureSet: (layer, r, window, progress) =>
      withBuffers(async (pool) =>
        msmOnGpu(ctx, pool, await lnamdOnGpu(ctx, pool, layer, r, progress?.signal), window, progress),
      ),
    tapTokens: (source, tap, grid) => tapTokensOnGpu(ctx, source, tap, grid),
    channelMeans: (source, channels, height, width) => channelMeansOnGpu(ctx, source, channels, height, width),
    download: (layer) => downloadLayer(device, layer),
  };
}
