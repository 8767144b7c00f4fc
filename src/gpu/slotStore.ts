// The device side of growable feature slots: image features [P, D] one slot each, in chunks of
// whole slots (one storage binding each), rows zero-padded to a multiple of 4 dims for vec4
// loads, each chunk with a buffer of its rows' squared norms (float64 sums stored as f32, like
// uploadFeatureSet). Full capacity is doubled like an array list: the last chunk is replaced by
// a larger copy (copyBufferToBuffer) and new chunks are added, each at most one binding.

import { MuscError } from '../engine/errors.ts';
import { squaredNorms } from '../engine/msm.ts';
import { storageBuffer } from './buffers.ts';
import type { GpuContext } from './context.ts';
import { padDim } from './features.ts';
import { imagesPerBinding } from './plan.ts';
import { padRows } from './features.ts';

const INITIAL_SLOTS = 8;

interface Chunk {
  rows: GPUBuffer;
  norms: GPUBuffer;
  /** slots it holds */
  slots: number;
}

/** Where one slot lives: its chunk's buffers and its place in them. */
export interface SlotPlace {
  chunk: number;
  place: number;
}

export class SlotStore {
  readonly dimPadded: number;
  readonly slotsPerChunk: number;
  private chunks: Chunk[] = [];
  private capacity = 0;
  private readonly written: boolean[] = [];
  /** the first GPU error a put raised (put cannot wait for it), surfaced by the next takeErrors */
  private failure: Promise<{ error: GPUError; outOfMemory: boolean } | null> = Promise.resolve(null);

  constructor(
    private readonly ctx: GpuContext,
    readonly patches: number,
    readonly dim: number,
  ) {
    if (!(Number.isInteger(patches) && patches > 0 && Number.isInteger(dim) && dim > 0)) {
      throw new RangeError(`feature slots need whole numbers of patches and dims ≥ 1; got ${patches} × ${dim}`);
    }
    this.dimPadded = padDim(dim);
    this.slotsPerChunk = imagesPerBinding(
      patches * this.dimPadded * 4,
      ctx.bindingCap,
      Number.MAX_SAFE_INTEGER,
      'features',
    );
  }

  put(slot: number, z: Float32Array): void {
    const { patches, dim, dimPadded } = this;
    if (!(Number.isInteger(slot) && slot >= 0)) throw new RangeError(`a slot is a whole number ≥ 0; got ${slot}`);
    if (z.length !== patches * dim)
      throw new RangeError(`an image's features hold ${patches}·${dim} values; got ${z.length}`);
    const { device } = this.ctx;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    try {
      if (slot >= this.capacity) this.grow(Math.max(slot + 1, 2 * this.capacity, INITIAL_SLOTS));
      const { chunk, place } = this.locate(slot);
      const { rows, norms } = this.chunks[chunk];
      device.queue.writeBuffer(
        rows,
        place * patches * dimPadded * 4,
        dim === dimPadded ? z : padRows(z, patches, dim, dimPadded),
      );
      device.queue.writeBuffer(norms, place * patches * 4, Float32Array.from(squaredNorms(z, patches, dim)));
      this.written[slot] = true;
    } finally {
      const validation = device.popErrorScope();
      const memory = device.popErrorScope();
      this.failure = Promise.all([this.failure, memory, validation]).then(
        ([earlier, outOfMemory, invalid]) =>
          earlier ??
          (outOfMemory ? { error: outOfMemory, outOfMemory: true } : invalid && { error: invalid, outOfMemory: false }),
      );
    }
  }

  /** Rejects with the first GPU error an earlier put raised: the GPU's memory running out in plain words. */
  async takeErrors(): Promise<void> {
    const failure = this.failure;
    this.failure = Promise.resolve(null);
    const failed = await failure;
    if (failed?.outOfMemory)
      throw new MuscError(
        'batch-too-large',
        `The GPU has no memory left for this batch's image features (at image ${this.written.filter(Boolean).length}). ` +
          'Score fewer images at a time, or choose WASM (CPU) in Settings → Backend, which keeps them in the computer’s memory.',
      );
    if (failed) throw new Error(`Storing image features on the GPU failed: ${failed.error.message}`);
  }

  /** Where an image that was put lives. */
  placeOf(slot: number): SlotPlace {
    if (!this.written[slot]) throw new RangeError(`feature slot ${slot} holds no image`);
    return this.locate(slot);
  }

  /** The buffers of chunk c, read at encoding time: growing replaces them. */
  chunk(c: number): Readonly<Chunk> {
    return this.chunks[c];
  }

  destroy(): void {
    for (const { rows, norms } of this.chunks.splice(0)) {
      rows.destroy();
      norms.destroy();
    }
    this.capacity = 0;
    this.written.length = 0;
  }

  private locate(slot: number): SlotPlace {
    return { chunk: Math.floor(slot / this.slotsPerChunk), place: slot % this.slotsPerChunk };
  }

  private grow(capacity: number): void {
    const { ctx, patches, dimPadded, slotsPerChunk } = this;
    const encoder = ctx.device.createCommandEncoder({ label: 'grow feature slots' });
    const retired: GPUBuffer[] = [];
    for (let c = 0; c * slotsPerChunk < capacity; c++) {
      const slots = Math.min(slotsPerChunk, capacity - c * slotsPerChunk);
      const old = this.chunks[c];
      if (old?.slots === slots) continue;
      const chunk: Chunk = {
        rows: storageBuffer(ctx.device, slots * patches * dimPadded * 4, `feature slots ${c}`),
        norms: storageBuffer(ctx.device, slots * patches * 4, `feature slot norms ${c}`),
        slots,
      };
      if (old) {
        encoder.copyBufferToBuffer(old.rows, 0, chunk.rows, 0, old.slots * patches * dimPadded * 4);
        encoder.copyBufferToBuffer(old.norms, 0, chunk.norms, 0, old.slots * patches * 4);
        retired.push(old.rows, old.norms);
      }
      this.chunks[c] = chunk;
    }
    ctx.device.queue.submit([encoder.finish()]);
    for (const buffer of retired) buffer.destroy(); // freed once the submitted copies are done with them
    this.capacity = capacity;
  }
}
