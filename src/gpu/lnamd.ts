// GPU LNAMD host: gathers one tapped layer chunk by chunk (uploaded from CPU memory, or copied on
// the GPU from the per-image buffers of a DeviceLayer) and runs the mean and aggregation kernels
// (shaders/lnamd.ts) into a FeatureSet that MSM reads without a round trip to the CPU.

import { assertDegree } from '../engine/config.ts';
import { MuscError, throwIfAborted } from '../engine/errors.ts';
import type { LayerFeatures } from '../engine/types.ts';
import { bindGroup, readBack, storageBuffer, uniformBuffer, type BufferPool } from './buffers.ts';
import type { GpuContext } from './context.ts';
import { onDevice, type DeviceLayer } from './deviceLayer.ts';
import { allocateFeatureSet, type FeatureSet } from './features.ts';
import { lnamdShader } from './shaders/lnamd.ts';

export async function lnamdOnGpu(
  ctx: GpuContext,
  pool: BufferPool,
  layer: LayerFeatures | DeviceLayer,
  r: number,
  signal?: AbortSignal,
): Promise<FeatureSet> {
  assertDegree(r);
  const { device, storage } = ctx;
  const { images, grid, dim, skip } = layer;
  const patches = grid * grid;
  const tokens = skip + patches;
  const set = allocateFeatureSet(ctx, pool, { images, patches, dim, storage }, tokens * dim * 4);
  const key = `lnamd-${storage}`;
  const meanPipeline = await ctx.pipeline(key, () => lnamdShader(storage), 'meanMain');
  const aggregatePipeline = await ctx.pipeline(key, () => lnamdShader(storage), 'aggregateMain');
  // Scratch for this call only: the raw taps can be as large as the features themselves.
  const taps = storageBuffer(device, set.imagesPerChunk * tokens * dim * 4, 'taps');
  const means = storageBuffer(device, images * 4, 'image means');
  try {
    for (const [c, { first, count }] of set.ranges.entries()) {
      throwIfAborted(signal);
      const params = uniformBuffer(
        device,
        [tokens, skip, dim, set.dimPadded, grid, (r - 1) / 2, first, 0],
        'lnamd params',
      );
      const encoder = device.createCommandEncoder({ label: `lnamd chunk ${c}` });
      if (onDevice(layer)) {
        const imageBytes = tokens * dim * 4;
        for (let n = 0; n < count; n++)
          encoder.copyBufferToBuffer(layer.perImage[first + n], 0, taps, n * imageBytes, imageBytes);
      } else {
        device.queue.writeBuffer(taps, 0, layer.data, first * tokens * dim, count * tokens * dim);
      }
      const pass = encoder.beginComputePass();
      pass.setPipeline(meanPipeline);
      pass.setBindGroup(0, bindGroup(device, meanPipeline, [params, taps, means]));
      pass.dispatchWorkgroups(count);
      pass.setPipeline(aggregatePipeline);
      pass.setBindGroup(0, bindGroup(device, aggregatePipeline, [params, taps, means, set.chunks[c], set.norms]));
      pass.dispatchWorkgroups(patches, count);
      pass.end();
      device.queue.submit([encoder.finish()]);
      params.destroy();
    }
    await rejectBrokenFeatures(device, means, images);
  } finally {
    taps.destroy();
    means.destroy();
  }
  return set;
}

/** Same refusal as the CPU LNAMD: a non-finite image mean means the model output is broken. */
async function rejectBrokenFeatures(device: GPUDevice, means: GPUBuffer, images: number): Promise<void> {
  const values = new Float32Array(await readBack(device, means, 0, images * 4));
  const broken = values.findIndex((v) => !Number.isFinite(v));
  if (broken >= 0) {
    throw new MuscError(
      'invalid-input',
      `The features of image ${broken + 1} contain invalid numbers (NaN or infinity). The model output is broken; try its fp32 variant or another backend.`,
    );
  }
}
