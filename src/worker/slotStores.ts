// The layer slot stores one MSM kernel worker (msmKernel.worker.ts) holds for scoring sessions:
// one nearestLayerSlots store per layer of each session, keyed by the pool's store id. Writes
// arrive without a reply, so a failed one is kept and reported by pairs.
import type { PatchBands } from '../engine/alignment.ts';
import { nearestLayerSlots } from '../engine/kernels/nearestRows.ts';
import type { LayerSlots } from '../engine/layerSlots.ts';
import type { PairRow } from '../engine/msm.ts';
import type { LayerFeatures } from '../engine/types.ts';

interface SlotStore {
  readonly grid: number;
  readonly dim: number;
  readonly degrees: readonly number[];
  readonly bands?: PatchBands;
  /** made at the first write, so a failed allocation is a failed write */
  slots: LayerSlots | null;
  /** slots whose last write failed, with why: a pair that reads one fails */
  readonly failed: Map<number, string>;
  /** failures no pairs call has reported yet: the next one does, whatever slots it reads */
  unreported: string[];
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class SlotStores {
  private readonly stores = new Map<number, SlotStore>();

  open(store: number, grid: number, dim: number, degrees: readonly number[], bands?: PatchBands): void {
    this.stores.set(store, { grid, dim, degrees, bands, slots: null, failed: new Map(), unreported: [] });
  }

  /** Never throws: a failure is answered by the store's next pairs call. */
  put(key: number, slot: number, image: LayerFeatures): void {
    const store = this.stores.get(key);
    if (!store) return; // the pool refuses writes to a destroyed store
    try {
      const { grid, dim, degrees, bands } = store;
      const expected = (image.skip + grid * grid) * dim;
      if (image.grid !== grid || image.dim !== dim || image.images !== 1 || image.data.length !== expected)
        throw new Error(`image features hold ${image.data.length} values, expected ${image.skip} + ${grid}²·${dim}`);
      store.slots ??= nearestLayerSlots(grid, dim, degrees, bands);
      store.slots.put(slot, image);
      store.failed.delete(slot);
    } catch (err) {
      const why = `writing slot ${slot} failed: ${messageOf(err)}`;
      store.failed.set(slot, why);
      store.unreported.push(why);
    }
  }

  drop(store: number): void {
    this.stores.delete(store);
  }

  pairs(key: number, i: number, js: readonly number[]): Promise<PairRow[]> {
    const store = this.stores.get(key);
    if (!store) throw new Error(`no feature slot store ${key}`);
    const { unreported } = store;
    store.unreported = [];
    if (unreported.length > 0) throw new Error(unreported.join('; '));
    const broken = [i, ...js].find((slot) => store.failed.has(slot));
    if (broken !== undefined) throw new Error(store.failed.get(broken));
    if (!store.slots) throw new Error(`feature slot store ${key} holds no image yet`);
    return store.slots.pairs(i, js);
  }
}
