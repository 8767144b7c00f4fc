// Where the CLI runs mutual scoring (LNAMD + MSM), `--msm`: onnxruntime's MatMul on the CPU (the
// default), or src/gpu on WebGPU through Dawn with f32 or f16 feature storage.

import * as ort from 'onnxruntime-node';
import type { MsmEngine } from '../engine/types.ts';
import { matmulLayerSlots } from '../engine/kernels/matmulDegrees.ts';
import { createOrtMatmulKernel } from '../engine/kernels/ortKernel.ts';
import { perDegree, type LayerSlotsFactory } from '../engine/layerSlots.ts';
import { adapterName } from '../gpu/device.ts';
import { createWebGpuMusc, gpuSlots, type FeatureStorage } from '../gpu/index.ts';
import { requestNodeGpu, softwareRenderer, type AdapterInfo, type NodeGpu } from '../platform/node/webgpu.ts';

export const MSM_BACKENDS = ['cpu', 'webgpu', 'webgpu-f16'] as const;
export type MsmBackend = (typeof MSM_BACKENDS)[number];

/** The chosen --msm cannot run on this machine; the message says why and what to do. */
export class GpuUnavailableError extends Error {
  override readonly name = 'GpuUnavailableError';
}

export interface OpenMsm {
  engine: MsmEngine;
  /** layer slots for an incremental session (engine/session): the CPU's matmul buffer, or the GPU's store, per degree */
  slots: LayerSlotsFactory;
  /** where scoring runs, for a note on stderr; null for the default CPU kernel */
  where: string | null;
  close(): void;
}

/** "<adapter>", with what a software adapter's times mean, for the notes the CLI prints. */
export function adapterNote(info: AdapterInfo): string {
  const software = softwareRenderer(info);
  return `${adapterName(info)}${software ? `; ${software} is a software adapter running on the CPU, not GPU speed` : ''}`;
}

/** src/gpu on Dawn's device, or a GpuUnavailableError saying why not. */
export function gpuMsm(storage: FeatureStorage, gpu: NodeGpu | { unavailable: string }): OpenMsm {
  const flag = `--msm ${storage === 'f16' ? 'webgpu-f16' : 'webgpu'}`;
  if ('unavailable' in gpu)
    throw new GpuUnavailableError(
      `${flag} needs WebGPU in Node, but ${gpu.unavailable}. Run without --msm (CPU) instead.`,
    );
  const { adapter, device } = gpu;
  const name = adapterName(adapter.info);
  if (storage === 'f16' && !device.features.has('shader-f16')) {
    device.destroy();
    throw new GpuUnavailableError(
      `${flag} needs 'shader-f16', which the adapter (${name}) lacks. Use --msm webgpu (f32 storage) instead.`,
    );
  }
  return {
    engine: { scoreFeatureSet: createWebGpuMusc(device, { storage }).scoreFeatureSet },
    slots: perDegree(gpuSlots(device)),
    // A session's feature slots (gpuSlots) are f32 whatever the batch path stores.
    where: `WebGPU through Dawn (${storage === 'f16' ? "f16 storage; a session's feature slots f32" : 'f32 storage'}) on ${adapterNote(adapter.info)}`,
    close: () => device.destroy(),
  };
}

export async function openMsm(backend: MsmBackend, threads: number): Promise<OpenMsm> {
  if (backend !== 'cpu') return gpuMsm(backend === 'webgpu-f16' ? 'f16' : 'f32', await requestNodeGpu());
  const similarity = createOrtMatmulKernel(ort, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  return { engine: { similarity }, slots: matmulLayerSlots(similarity), where: null, close: () => {} };
}
