// One image's encoder taps from the buffers onnxruntime-web leaves on the GPU
// (preferredOutputLocation 'gpu-buffer') to patch tokens the GPU LNAMD reads: token taps are
// copied as they are, CNN maps resampled to the common grid (shaders/taps.ts), the CNN embedding
// averaged there so only its C values come back.

import type { LayerFeatures } from '../engine/types.ts';
import { axisTaps } from '../engine/upsample.ts';
import { bindGroup, bufferWith, readBack, storageBuffer, uniformBuffer } from './buffers.ts';
import { checked, type GpuContext } from './context.ts';
import type { DeviceLayer } from './deviceLayer.ts';
import { RESAMPLE_WORKGROUP, tapsShader } from './shaders/taps.ts';

/** The shape of one image's tap as the encoder gave it. */
export type TapSource =
  | { layout: 'tokens'; tokens: number; dim: number }
  | { layout: 'nchw'; channels: number; height: number; width: number };

/** Patch tokens [tokens, dim] (skip + grid² for token taps, grid² for CNN maps) in a new buffer the caller owns. */
export function tapTokensOnGpu(ctx: GpuContext, source: GPUBuffer, tap: TapSource, grid: number): Promise<GPUBuffer> {
  const { device } = ctx;
  return checked(device, async () => {
    if (tap.layout === 'tokens') {
      const bytes = tap.tokens * tap.dim * 4;
      const out = storageBuffer(device, bytes, 'tap tokens');
      const encoder = device.createCommandEncoder({ label: 'tap tokens' });
      encoder.copyBufferToBuffer(source, 0, out, 0, bytes);
      device.queue.submit([encoder.finish()]);
      return out;
    }
    const { channels, height, width } = tap;
    const pipeline = await ctx.pipeline('taps', tapsShader, 'resampleMain');
    const [ty, tx] = [axisTaps(height, grid, false), axisTaps(width, grid, false)];
    const index = new Uint32Array(4 * grid);
    for (let o = 0; o < grid; o++) {
      index.set([ty.lo[o], ty.hi[o]], 2 * o);
      index.set([tx.lo[o], tx.hi[o]], 2 * grid + 2 * o);
    }
    const weight = Float32Array.from([...ty.weight, ...tx.weight]);
    const out = storageBuffer(device, grid * grid * channels * 4, 'tap tokens');
    const scratch = [
      uniformBuffer(device, [channels, height, width, grid], 'resample params'),
      bufferWith(device, index, GPUBufferUsage.STORAGE, 'resample indices'),
      bufferWith(device, weight, GPUBufferUsage.STORAGE, 'resample weights'),
    ];
    const [params, indices, weights] = scratch;
    const encoder = device.createCommandEncoder({ label: 'resample tap' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(device, pipeline, [params, source, out, indices, weights]));
    pass.dispatchWorkgroups(Math.ceil(channels / RESAMPLE_WORKGROUP), grid * grid);
    pass.end();
    device.queue.submit([encoder.finish()]);
    for (const b of scratch) b.destroy();
    return out;
  });
}

/**
 * The mean of each channel of one image's CNN map [C, H, W]. Resolves once the work is submitted
 * (the source may then be released); `values` resolves when they are read back.
 */
export function channelMeansOnGpu(
  ctx: GpuContext,
  source: GPUBuffer,
  channels: number,
  height: number,
  width: number,
): Promise<{ values: Promise<Float32Array> }> {
  const { device } = ctx;
  return checked(device, async () => {
    const pipeline = await ctx.pipeline('taps', tapsShader, 'meansMain');
    const params = uniformBuffer(device, [channels, height, width, 0], 'means params');
    const means = storageBuffer(device, channels * 4, 'channel means');
    const encoder = device.createCommandEncoder({ label: 'channel means' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(device, pipeline, [params, source, means]));
    pass.dispatchWorkgroups(channels);
    pass.end();
    device.queue.submit([encoder.finish()]);
    params.destroy();
    const values = readBack(device, means, 0, channels * 4)
      .then((bytes) => new Float32Array(bytes))
      .finally(() => means.destroy());
    return { values };
  });
}

/** A DeviceLayer's per-image tokens, read back and concatenated as the CPU engine's layer. */
export async function downloadLayer(device: GPUDevice, layer: DeviceLayer): Promise<LayerFeatures> {
  const { images, grid, dim, skip, perImage } = layer;
  const imageFloats = (skip + grid * grid) * dim;
  const data = new Float32Array(images * imageFloats);
  const parts = await Promise.all(perImage.map((buffer) => readBack(device, buffer, 0, imageFloats * 4)));
  parts.forEach((bytes, n) => data.set(new Float32Array(bytes), n * imageFloats));
  return { images, grid, dim, skip, data };
}
