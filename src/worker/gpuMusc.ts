// Our WebGPU stages (src/gpu) on the device onnxruntime-web created, so encoder outputs left on
// the GPU and our kernels share one device; made once per device.
import * as ort from 'onnxruntime-web/webgpu';
import { createWebGpuMusc, type WebGpuMusc } from '../gpu/index.ts';

let gpu: { device: GPUDevice; musc: WebGpuMusc } | null = null;

export async function ortGpuMusc(): Promise<WebGpuMusc> {
  const device = await ort.env.webgpu.device;
  if (gpu?.device !== device) gpu = { device, musc: createWebGpuMusc(device) };
  return gpu.musc;
}
