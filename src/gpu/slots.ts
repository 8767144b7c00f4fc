// The engine's FeatureSlots (msm.ts) on WebGPU, so a scoring session (engine/session) computes
// its image pairs on the GPU: features stay on the device in a growable store (slotStore.ts);
// pairs(i, js) dispatches the shared nearest-patch block (shaders/slotPairs.ts) over i against
// every target, reads back the forward and backward minima and turns them into distances in the
// CPU's layout.

import { isExact } from '../engine/alignment.ts';
import { MuscError } from '../engine/errors.ts';
import { distance, type FeatureSlotsFactory, type PairRow } from '../engine/msm.ts';
import { bindGroup, BufferPool, bufferWith, readBack, storageBuffer, uniformBuffer } from './buffers.ts';
import { checked, createContext, type GpuContext } from './context.ts';
import { imagesPerBinding } from './plan.ts';
import { NEAREST_TILE } from './shaders/nearestBlock.ts';
import { slotPairsShader } from './shaders/slotPairs.ts';
import { planTargets, type TargetRun } from './slotPlan.ts';
import { SlotStore, type SlotPlace } from './slotStore.ts';
import { FLOPS_PER_DISPATCH } from './msm.ts';

export interface GpuSlotsOptions {
  /** cap on one buffer binding below the device's limits (tests use it to force chunking) */
  maxBindingBytes?: number;
}

/** A FeatureSlotsFactory on `device`; the slots it makes share compiled pipelines. */
export function gpuSlots(device: GPUDevice, options: GpuSlotsOptions = {}): FeatureSlotsFactory {
  const ctx = createContext(device, 'f32', options.maxBindingBytes);
  return (patches, dim, bands) => {
    if (bands && !isExact(bands)) {
      throw new MuscError(
        'invalid-config',
        'The aligned-parts shortcut is not implemented on WebGPU. Score exactly, or score on the CPU.',
      );
    }
    const store = new SlotStore(ctx, patches, dim);
    return {
      put: (slot, z) => store.put(slot, z),
      pairs: (i, js) => checked(device, () => pairsOnGpu(ctx, store, i, js)),
      destroy: () => store.destroy(),
    };
  };
}

async function pairsOnGpu(ctx: GpuContext, store: SlotStore, i: number, js: readonly number[]): Promise<PairRow> {
  const { device } = ctx;
  const { patches } = store;
  await store.takeErrors();
  const image = store.placeOf(i);
  const places = js.map((j) => store.placeOf(j));
  const tiles = Math.ceil(patches / NEAREST_TILE);
  const maxWorkgroups = device.limits.maxComputeWorkgroupsPerDimension;
  if (tiles > maxWorkgroups)
    throw new RangeError(
      `${patches} patches per image exceed this GPU's dispatch limit of ${maxWorkgroups * NEAREST_TILE}`,
    );
  const perTable = imagesPerBinding(patches * 4, ctx.bindingCap, Math.max(1, js.length), 'nearest-patch distances');
  const pairFlops = 2 * patches * patches * store.dimPadded;
  const perDispatch = Math.max(1, Math.min(maxWorkgroups, Math.floor(FLOPS_PER_DISPATCH / pairFlops)));
  const pipeline = await ctx.pipeline('slot-pairs', slotPairsShader, 'main');

  const count = js.length;
  const forward = new Float32Array(patches * count);
  const backward = new Float32Array(count * patches);
  const pool = new BufferPool();
  try {
    for (const run of planTargets(places, perTable, perDispatch)) {
      const tables = dispatchRun(ctx, pool, pipeline, store, image, run, tiles);
      const [runForward, runBackward] = await Promise.all(
        tables.map((table) => readBack(device, table, 0, run.count * patches * 4).then(decodeDistances)),
      );
      for (let p = 0; p < patches; p++) {
        for (let t = 0; t < run.count; t++) forward[p * count + run.first + t] = runForward[p * run.count + t];
      }
      backward.set(runBackward, run.first * patches);
    }
  } finally {
    pool.destroy();
  }
  return { forward, backward };
}

/** Submits one run's dispatches into fresh tables; returns [forward, backward]. Synchronous, so no put can replace the chunks meanwhile. */
function dispatchRun(
  ctx: GpuContext,
  pool: BufferPool,
  pipeline: GPUComputePipeline,
  store: SlotStore,
  image: SlotPlace,
  run: TargetRun,
  tiles: number,
): GPUBuffer[] {
  const { device } = ctx;
  const { patches } = store;
  const tables = ['forward', 'backward'].map((side) =>
    pool.track(storageBuffer(device, run.count * patches * 4, `${side} minima`)),
  );
  const targets = pool.track(bufferWith(device, run.targets, GPUBufferUsage.STORAGE, 'slot targets'));
  const clear = device.createCommandEncoder({ label: 'clear slot minima' });
  for (const table of tables) clear.clearBuffer(table);
  device.queue.submit([clear.finish()]);
  const a = store.chunk(image.chunk);
  for (const d of run.dispatches) {
    const b = store.chunk(d.chunk);
    const params = uniformBuffer(
      device,
      [d.base, patches, store.dimPadded / 4, run.count, image.place],
      'slot pair params',
    );
    const encoder = device.createCommandEncoder({ label: 'slot pairs' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(device, pipeline, [params, targets, a.rows, b.rows, a.norms, b.norms, ...tables]));
    pass.dispatchWorkgroups(tiles, tiles, d.count);
    pass.end();
    device.queue.submit([encoder.finish()]);
    params.destroy(); // freed once the submitted dispatch is done with it
  }
  return tables;
}

/** Table entries ~bits(t) (shaders/msm.ts) → distances sqrt(max(0, t)); an entry never written reads NaN. */
function decodeDistances(bytes: ArrayBuffer): Float32Array {
  const encoded = new Uint32Array(bytes);
  const bits = new Uint32Array(encoded.length);
  for (let k = 0; k < encoded.length; k++) bits[k] = ~encoded[k];
  const squared = new Float32Array(bits.buffer);
  return squared.map(distance);
}
