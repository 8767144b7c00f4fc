// The Dawn device the Node GPU tests share (src/platform/node/webgpu.ts). Without an adapter they skip,
// naming why, except where MUSCOPE_REQUIRE_NODE_WEBGPU is set (CI installs lavapipe): there a
// missing adapter, or one without shader-f16, fails the run.

import { requestNodeGpu, type NodeGpu } from '../platform/node/webgpu.ts';

const found = await requestNodeGpu();

/** why there is no device, or null */
export const unavailable: string | null = 'unavailable' in found ? found.unavailable : null;
/** why f16 storage cannot be tested, or null */
export const noF16: string | null =
  unavailable ??
  ('device' in found && !found.device.features.has('shader-f16')
    ? `the adapter (${found.adapter.info.description}) lacks shader-f16`
    : null);

if (noF16 && process.env.MUSCOPE_REQUIRE_NODE_WEBGPU)
  throw new Error(`Node WebGPU with shader-f16 is required here, but ${noF16}.`);

/** The device; only call it inside a suite skipped when `unavailable` is set. */
export function nodeDevice(): GPUDevice {
  if ('unavailable' in found) throw new Error(found.unavailable);
  return (found as NodeGpu).device;
}
