import { describe, expect, it } from 'vitest';
import { nearestSlots } from '../engine/kernels/nearestRows.ts';
import { perDegree, type LayerSlots } from '../engine/layerSlots.ts';
import { randomValues, seededRandom } from '../engine/random.ts';
import { ScoringSession, type SessionConfig } from '../engine/session/session.ts';
import { DEFAULT_CONFIG, type MuscInput } from '../engine/types.ts';
import type { KernelCall, KernelReply } from './msmKernel.worker.ts';
import { poolSlots, splitRuns, type KernelPort } from './poolSlots.ts';
import { SlotStores } from './slotStores.ts';

type Answer = Exclude<KernelReply, { type: 'error' }>;

/** A kernel worker on this thread: the worker's slot stores, answered after a task like a message. */
function fakeWorker(): KernelPort & { answered: number } {
  const stores = new SlotStores();
  const port = {
    closed: false,
    answered: 0,
    notify(message: Parameters<KernelPort['notify']>[0]) {
      if (message.type === 'open') stores.open(message.store, message.grid, message.dim, message.degrees);
      else if (message.type === 'put')
        stores.put(message.store, message.slot, { ...message.image, data: message.image.data.slice() });
      else stores.drop(message.store);
    },
    async call(message: KernelCall): Promise<Answer> {
      if (message.type !== 'pairs') throw new Error(`unexpected ${message.type}`);
      await new Promise((resolve) => setTimeout(resolve, 0));
      const rows = await stores.pairs(message.store, message.i, message.js);
      port.answered += 1;
      return { id: 0, type: 'pairs', rows };
    },
  };
  return port;
}

const GRID = 3;
const DIMS = [6, 8];
const config: SessionConfig = {
  ...DEFAULT_CONFIG,
  rList: [1, 3],
  imageSize: 9,
  forceSmallBatch: false,
  scorers: 'all',
};

function input(picks: readonly number[]): MuscInput {
  return {
    layers: DIMS.map((dim, l) => {
      const size = (1 + GRID * GRID) * dim;
      const data = new Float32Array(picks.length * size);
      picks.forEach((n, k) => data.set(randomValues(size, seededRandom(100 * l + n)), k * size));
      return { data, images: picks.length, grid: GRID, dim, skip: 1 };
    }),
    embeddings: null,
    embedDim: 0,
  };
}

describe('feature slots on the MSM pool', () => {
  it('splits partners into contiguous runs and leaves empty ones out', () => {
    expect(splitRuns([4, 5, 6, 7, 9], 3)).toEqual([
      { at: 0, js: [4] },
      { at: 1, js: [5, 6] },
      { at: 3, js: [7, 9] },
    ]);
    expect(splitRuns([2, 8], 4)).toEqual([
      { at: 0, js: [2] },
      { at: 1, js: [8] },
    ]);
    expect(splitRuns([2], 3, true)).toEqual([
      { at: 0, js: [] },
      { at: 0, js: [] },
      { at: 0, js: [2] },
    ]);
  });

  it('scores a session like the in-process kernel scoring each degree apart, with pieces, a removal and slot reuse', async () => {
    const workers = [fakeWorker(), fakeWorker(), fakeWorker()];
    const onPool = new ScoringSession(config, DIMS.length, poolSlots(workers));
    const local = new ScoringSession(config, DIMS.length, perDegree(nearestSlots));
    for (const [k, piece] of [
      [0, 1, 2],
      [3, 4, 5, 6],
      [7, 8, 9, 10],
      [11, 12],
    ].entries()) {
      const images = piece.map((n) => ({ id: `img${n}`, role: 'query' as const }));
      await onPool.add(images, input(piece));
      await local.add(images, input(piece));
      if (k === 2) for (const s of [onPool, local]) await s.remove(['img4']);
    }
    const [a, b] = [onPool.state().images, local.state().images];
    expect(a.map((i) => i.id)).toEqual(b.map((i) => i.id));
    a.forEach((image, n) => {
      const [x, y] = [image.patchScores, b[n].patchScores];
      expect(x).not.toBeNull();
      x!.forEach((v, p) => expect(Math.abs(v - y![p])).toBeLessThanOrEqual(1e-6));
    });
    for (const w of workers) expect(w.answered).toBeGreaterThan(0);
  });

  it('reports a failed write at the next pairs call, and refuses use after destroy', async () => {
    const slots: LayerSlots = poolSlots([fakeWorker(), fakeWorker()])(2, 2, [1, 3]);
    const image = (data: Float32Array) => ({ data, images: 1, grid: 2, dim: 2, skip: 0 });
    slots.put(0, image(randomValues(8, seededRandom(1))));
    slots.put(1, image(randomValues(8, seededRandom(2))));
    slots.put(2, image(new Float32Array(3)));
    await expect(slots.pairs(0, [1])).rejects.toThrow(/writing slot 2 failed/);
    await expect(slots.pairs(0, [1])).resolves.toBeDefined(); // every worker reported it; slot 2 is not read
    await expect(slots.pairs(2, [0, 1])).rejects.toThrow(/writing slot 2 failed/);
    slots.destroy?.();
    expect(() => slots.put(0, image(new Float32Array(8)))).toThrow(/destroyed/);
    await expect(slots.pairs(0, [1])).rejects.toThrow(/destroyed/);
  });
});
