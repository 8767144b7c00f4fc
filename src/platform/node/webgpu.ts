// WebGPU in Node through Dawn (the `webgpu` package), so src/gpu and onnxruntime-web's WebGPU
// backend run outside a browser: in Vitest and the install on Mesa's lavapipe, the software
// Vulkan driver that, unlike Chromium's SwiftShader, offers 'shader-f16'; on a machine with a
// GPU, on its Vulkan driver.

import { requestMuscDevice } from '../../gpu/device.ts';

export interface NodeGpu {
  adapter: GPUAdapter;
  device: GPUDevice;
}

const NOT_INSTALLED = 'the `webgpu` package (Dawn for Node) is not installed';
const NO_ADAPTER = "Dawn found no Vulkan adapter (install Mesa's lavapipe: mesa-vulkan-drivers 24 or newer)";

let loaded: Promise<GPU | null> | undefined;

/** Dawn's GPU entry point with WebGPU's globals (GPUBufferUsage, …) installed, or null without the package. */
function nodeGpuEntry(): Promise<GPU | null> {
  loaded ??= import('webgpu').then(
    ({ create, globals }) => {
      Object.assign(globalThis, globals);
      copySharedViewsOnWrite();
      return create([]);
    },
    () => null,
  );
  return loaded;
}

/**
 * Dawn for Node rejects a view of a SharedArrayBuffer in queue.writeBuffer ("Invalid argument"),
 * and onnxruntime-web's threaded WASM memory is one: such views are copied first.
 */
function copySharedViewsOnWrite(): void {
  const write = GPUQueue.prototype.writeBuffer;
  GPUQueue.prototype.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    offset: number,
    data: GPUAllowSharedBufferSource,
    dataOffset?: number,
    size?: number,
  ) {
    // slice() gives the same element type over a plain ArrayBuffer, so dataOffset and size still apply.
    const shared = ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer && !(data instanceof DataView);
    return write.call(this, buffer, offset, shared ? (data as Uint8Array).slice() : data, dataOffset, size);
  };
}

/**
 * Gives onnxruntime-web's WebGPU backend Dawn as `navigator.gpu` in this process, and the adapter
 * it will get (to name it and read its features), or the reason there is none.
 */
export async function ortWebGpuInNode(): Promise<{ adapter: GPUAdapter } | { unavailable: string }> {
  const gpu = await nodeGpuEntry();
  if (!gpu) return { unavailable: NOT_INSTALLED };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { unavailable: NO_ADAPTER };
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.assign(globalThis.navigator ?? {}, { gpu }),
    configurable: true,
  });
  return { adapter };
}

/** A MuSc device on Dawn's first adapter, or null with the reason when this machine offers none. */
export async function requestNodeGpu(): Promise<NodeGpu | { unavailable: string }> {
  const gpu = await nodeGpuEntry();
  if (!gpu) return { unavailable: NOT_INSTALLED };
  try {
    return await requestMuscDevice(gpu);
  } catch {
    return { unavailable: NO_ADAPTER };
  }
}

export type AdapterInfo = Pick<
  GPUAdapterInfo,
  'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'
>;

/**
 * The software renderer behind an adapter ('lavapipe', 'swiftshader', 'software'), or null for
 * a GPU. Conservative: any sign of a CPU implementation counts, so its times never pass for GPU speed.
 */
export function softwareRenderer(info: AdapterInfo): string | null {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  if (/llvmpipe|lavapipe/.test(text)) return 'lavapipe';
  if (text.includes('swiftshader')) return 'swiftshader';
  return info.isFallbackAdapter || /software|\bcpu\b/.test(text) ? 'software' : null;
}
