// What every GPU stage shares: the device, the feature storage type, the per-binding byte cap and
// a cache of compiled pipelines (shader compilation is the slow part of a first run).

import type { FeatureStorage } from './shaders/storage.ts';

export interface GpuContext {
  readonly device: GPUDevice;
  readonly storage: FeatureStorage;
  /** bytes one storage binding (and buffer) may hold on this device */
  readonly bindingCap: number;
  /** compiled once per key and entry point; rejects with the compiler's message */
  pipeline(key: string, code: () => string, entryPoint: string): Promise<GPUComputePipeline>;
}

export function createContext(device: GPUDevice, storage: FeatureStorage, maxBindingBytes?: number): GpuContext {
  if (storage === 'f16' && !device.features.has('shader-f16')) {
    throw new Error("f16 feature storage needs a device created with the 'shader-f16' feature; use 'f32'.");
  }
  const deviceCap = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const bindingCap = Math.min(deviceCap, maxBindingBytes ?? deviceCap);
  const modules = new Map<string, GPUShaderModule>();
  const pipelines = new Map<string, Promise<GPUComputePipeline>>();
  return {
    device,
    storage,
    bindingCap,
    pipeline(key, code, entryPoint) {
      const id = `${key}#${entryPoint}`;
      let pipeline = pipelines.get(id);
      if (!pipeline) {
        let module = modules.get(key);
        if (!module) modules.set(key, (module = device.createShaderModule({ label: key, code: code() })));
        pipeline = device.createComputePipelineAsync({ label: id, layout: 'auto', compute: { module, entryPoint } });
        pipelines.set(id, pipeline);
        pipeline.catch(() => pipelines.delete(id));
      }
      return pipeline;
    },
  };
}

/**
 * Runs `body` inside validation and out-of-memory error scopes, so a GPU-side failure rejects
 * instead of leaving silent garbage. An error thrown by the body itself wins.
 */
export async function checked<T>(device: GPUDevice, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const outcome = await body().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const validation = await device.popErrorScope();
  const memory = await device.popErrorScope();
  if (!outcome.ok) throw outcome.error;
  if (memory)
    throw new Error(
      `The GPU ran out of memory: ${memory.message}. Score fewer images at once or use a smaller input size.`,
    );
  if (validation) throw new Error(`WebGPU rejected a command: ${validation.message}`);
  return outcome.value;
}
