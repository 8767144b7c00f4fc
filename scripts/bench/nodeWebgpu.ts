// The `webgpu-node` backend of `npm run bench -- --case msm`: src/gpu's MSM in Node through Dawn
// (src/platform/node/webgpu.ts), timed by the browser bench's own measurement (tooling/browser/harness/msmBench.ts).
// On a software adapter the record is labelled so, e.g. webgpu-node-lavapipe: never a GPU speed.

import { meterBuffers } from '../../tooling/browser/harness/gpuMemory.ts';
import { measureMsm } from '../../tooling/browser/harness/msmBench.ts';
import { createWebGpuMusc } from '../../src/gpu/index.ts';
import { requestNodeGpu, softwareRenderer, type AdapterInfo } from '../../src/platform/node/webgpu.ts';
import {
  adapterText,
  measurementFields,
  peakRssMb,
  REPEAT_BUDGET_MS,
  REPEATS,
  SOFTWARE_WEBGPU_CAP_MS,
  type BenchRecord,
} from './cases.ts';

export const WEBGPU_NODE_BACKEND = 'webgpu-node';

/** webgpu-node on a GPU; webgpu-node-<renderer> on a software adapter. */
export function webgpuNodeLabel(info: AdapterInfo): string {
  const software = softwareRenderer(info);
  return software ? `${WEBGPU_NODE_BACKEND}-${software}` : WEBGPU_NODE_BACKEND;
}

export interface WebgpuNodeMsmOptions {
  images: number;
  grid: number;
  dim: number;
  emit: (record: BenchRecord) => void;
}

export async function runWebgpuNodeMsm({ images, grid, dim, emit }: WebgpuNodeMsmOptions): Promise<void> {
  const common: BenchRecord = { case: 'msm', backend: WEBGPU_NODE_BACKEND, images, grid, dim };
  const gpu = await requestNodeGpu();
  if ('unavailable' in gpu) {
    emit({ ...common, skipped: gpu.unavailable });
    return;
  }
  const { adapter, device } = gpu;
  try {
    // As in the browser, only software is capped: a real GPU runs the case whatever it takes.
    const software = softwareRenderer(adapter.info) !== null;
    const meter = meterBuffers(device);
    meter.reset();
    const musc = createWebGpuMusc(device);
    const measurement = await measureMsm((z, n, window) => musc.mutualScores(z, n, grid * grid, dim, window), {
      backend: 'webgpu',
      images,
      grid,
      dim,
      runs: REPEATS,
      repeatBudgetMs: REPEAT_BUDGET_MS,
      ...(software && { skipAboveMs: SOFTWARE_WEBGPU_CAP_MS }),
      threads: 0,
    });
    emit({
      ...common,
      backend: webgpuNodeLabel(adapter.info),
      adapter: adapterText(adapter.info),
      ...measurementFields(measurement, images, grid, dim),
      ...(measurement.measured && { gpu_buffer_mb: +(meter.peak() / 2 ** 20).toFixed(1), peak_rss_mb: peakRssMb() }),
    });
  } finally {
    device.destroy();
  }
}
