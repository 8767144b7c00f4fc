// Our WebGPU stages (src/gpu) on the device onnxruntime-web created, so encoder outputs left on
// the GPU and our kernels share one device; made once per device.
import * as ort from 'onnxruntime-web/webgpu';
import { createWebGpuMusc, type WebGpuMusc } from '../gpu/index.ts';

let gpu: { device: GPUDevice; musc: WebGpuMusc } | null = null;

export async function ortGpuMusc(): Promise<WebGpuMusc> {
  const device = await ort.env.webgpu.device;
  // f32 storage even with shader-f16, on purpose (README, deviations): f16 rows moved bottle's
  // AUPRO by 0.0017 on lavapipe, more than the 1e-3 allowed against the reference.
  if (gpu?.device !== device) gpu = { device, musc: createWebGpuMusc(device, { storage: 'f32' }) };
  return gpu.musc;
}
