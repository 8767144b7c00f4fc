// GPU MSM host: for each group of scored images, clears the nearest table, dispatches the pair
// kernel (shaders/msm.ts) batch by batch, then the interval mean (shaders/interval.ts); scores
// of all groups are read back once. Progress is reported as GPU work completes; cancellation is
// checked before every dispatch.

import type { ScorerWindow } from '../engine/config.ts';
import { throwIfAborted } from '../engine/errors.ts';
import type { MsmOptions } from '../engine/msm.ts';
import { bindGroup, bufferWith, readBack, storageBuffer, uniformBuffer, type BufferPool } from './buffers.ts';
import type { GpuContext } from './context.ts';
import type { FeatureSet } from './features.ts';
import { imagesPerBinding, planGroup, splitImages, type GroupPlan } from './plan.ts';
import { INTERVAL_WORKGROUP, intervalShader } from './shaders/interval.ts';
import { MSM_TILE, msmShader } from './shaders/msm.ts';

export type MsmProgress = Pick<MsmOptions, 'signal' | 'onPairs'>;
export type IntervalWindow = Pick<ScorerWindow, 'kMin' | 'kMax'>;

/** Work per dispatch: small enough to cancel promptly and to stay clear of GPU watchdogs. */
export const FLOPS_PER_DISPATCH = 1e9;
/** Dispatches queued ahead of the one being waited for, so the GPU never idles on a round trip. */
const DISPATCHES_AHEAD = 2;

export async function msmOnGpu(
  ctx: GpuContext,
  pool: BufferPool,
  set: FeatureSet,
  window: IntervalWindow,
  progress: MsmProgress = {},
): Promise<Float64Array> {
  const { device, storage } = ctx;
  const { images, patches, dimPadded } = set;
  const scorers = images - 1;
  const { kMin, kMax } = window;
  if (!(Number.isInteger(kMin) && Number.isInteger(kMax) && kMin >= 0 && kMin < kMax && kMax <= scorers)) {
    throw new RangeError(`scorer ranks [${kMin}, ${kMax}) do not fit ${scorers} scorers`);
  }
  const rowBytes = scorers * 4 + INTERVAL_WORKGROUP * 4;
  if (rowBytes > device.limits.maxComputeWorkgroupStorageSize) {
    throw new RangeError(
      `${images} images exceed this GPU's workgroup memory for the interval step; score at most ${Math.floor(device.limits.maxComputeWorkgroupStorageSize / 4) - INTERVAL_WORKGROUP} images per batch`,
    );
  }

  const pairFlops = 2 * patches * patches * dimPadded;
  const maxPairs = Math.max(
    1,
    Math.min(device.limits.maxComputeWorkgroupsPerDimension, Math.floor(FLOPS_PER_DISPATCH / pairFlops)),
  );
  const perGroup = imagesPerBinding(patches * scorers * 4, ctx.bindingCap, images, 'nearest-patch distances');
  const plans = splitImages(images, perGroup).map((g) => planGroup(images, g, set.imagesPerChunk, maxPairs));
  // Progress in the engine's unit, unordered pairs of one set, even when straddling pairs run twice.
  const dispatchedPairs = plans.reduce((n, p) => n + p.pairs.length / 2, 0);
  const uniquePairs = (images * scorers) / 2;
  const reportPairs = (done: number) =>
    progress.onPairs?.(Math.round((done / dispatchedPairs) * uniquePairs), uniquePairs);

  const pairPipeline = await ctx.pipeline(`msm-${storage}`, () => msmShader(storage), 'main');
  const intervalPipeline = await ctx.pipeline(`interval-${scorers}`, () => intervalShader(scorers), 'main');
  const table = pool.track(storageBuffer(device, perGroup * patches * scorers * 4, 'nearest table'));
  const scores = pool.track(storageBuffer(device, images * patches * 4, 'msm scores'));
  const tiles = Math.ceil(patches / MSM_TILE);

  const inFlight: { done: Promise<void>; pairsDone: number }[] = [];
  const settle = async (keep: number) => {
    while (inFlight.length > keep) {
      const next = inFlight.shift()!;
      await next.done;
      reportPairs(next.pairsDone);
    }
  };
  const submit = (encoder: GPUCommandEncoder, pairsDone: number) => {
    device.queue.submit([encoder.finish()]);
    inFlight.push({ done: device.queue.onSubmittedWorkDone(), pairsDone });
  };

  let pairsDone = 0;
  for (const plan of plans) {
    const pairs = pool.track(bufferWith(device, plan.pairs, GPUBufferUsage.STORAGE, 'pairs'));
    const clear = device.createCommandEncoder({ label: 'clear nearest table' });
    clear.clearBuffer(table);
    device.queue.submit([clear.finish()]);
    for (const d of plan.dispatches) {
      throwIfAborted(progress.signal);
      const params = uniformBuffer(device, pairParams(set, plan, d.pairBase, d.chunkA, d.chunkB), 'msm params');
      const encoder = device.createCommandEncoder({ label: 'msm pairs' });
      const pass = encoder.beginComputePass();
      pass.setPipeline(pairPipeline);
      pass.setBindGroup(
        0,
        bindGroup(device, pairPipeline, [params, pairs, set.chunks[d.chunkA], set.chunks[d.chunkB], set.norms, table]),
      );
      pass.dispatchWorkgroups(tiles, tiles, d.pairCount);
      pass.end();
      pairsDone += d.pairCount;
      submit(encoder, pairsDone);
      params.destroy(); // freed once the submitted dispatch is done with it
      await settle(DISPATCHES_AHEAD);
    }
    const params = pool.track(uniformBuffer(device, [patches, kMin, kMax, plan.scored.first], 'interval params'));
    const encoder = device.createCommandEncoder({ label: 'msm interval mean' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(intervalPipeline);
    pass.setBindGroup(0, bindGroup(device, intervalPipeline, [params, table, scores]));
    pass.dispatchWorkgroups(patches, plan.scored.count);
    pass.end();
    submit(encoder, pairsDone);
  }
  await settle(0);
  throwIfAborted(progress.signal);
  return Float64Array.from(new Float32Array(await readBack(device, scores, 0, images * patches * 4)));
}

function pairParams(set: FeatureSet, plan: GroupPlan, pairBase: number, chunkA: number, chunkB: number): number[] {
  return [
    pairBase,
    set.patches,
    set.dimPadded / 4,
    set.images - 1,
    set.ranges[chunkA].first,
    set.ranges[chunkB].first,
    plan.scored.first,
    plan.scored.count,
  ];
}
