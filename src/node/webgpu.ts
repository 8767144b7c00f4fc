// WebGPU in Node through Dawn (the `webgpu` package), so src/gpu runs outside a browser: in Vitest
// on Mesa's lavapipe, the software Vulkan driver that, unlike Chromium's SwiftShader, offers
// 'shader-f16'; on a machine with a GPU, on its Vulkan driver.

import { requestMuscDevice } from '../gpu/device.ts';

export interface NodeGpu {
  adapter: GPUAdapter;
  device: GPUDevice;
}

let loaded: Promise<GPU | null> | undefined;

/** Dawn's GPU entry point with WebGPU's globals (GPUBufferUsage, …) installed, or null without the package. */
function nodeGpuEntry(): Promise<GPU | null> {
  loaded ??= import('webgpu').then(
    ({ create, globals }) => {
      Object.assign(globalThis, globals);
      return create([]);
    },
    () => null,
  );
  return loaded;
}

/** A MuSc device on Dawn's first adapter, or null with the reason when this machine offers none. */
export async function requestNodeGpu(): Promise<NodeGpu | { unavailable: string }> {
  const gpu = await nodeGpuEntry();
  if (!gpu) return { unavailable: 'the `webgpu` package (Dawn for Node) is not installed' };
  try {
    return await requestMuscDevice(gpu);
  } catch {
    return { unavailable: 'Dawn found no Vulkan adapter (install Mesa\'s lavapipe: mesa-vulkan-drivers 24 or newer)' };
  }
}

export type AdapterInfo = Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'>;

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
