// A scoring session's features of one layer at every LNAMD degree: each image has a slot, written
// once from the encoder's taps; pairs are computed between slots, one PairRow per degree. A
// backend either keeps each degree's unit features apart (perDegree over msm.ts FeatureSlots),
// or derives every degree from one product per pair (degreeGram.ts).
import { isExact, type PatchBands } from './alignment.ts';
import { lnamd } from './lnamd.ts';
import type { FeatureSlotsFactory, PairRow } from './msm.ts';
import type { LayerFeatures } from './types.ts';

export interface LayerSlots {
  /** writes the only image of `image` (a one-image layer) into `slot`, growing the store as needed */
  put(slot: number, image: LayerFeatures): void;
  /** slot i against slots js (ascending, i not among them): one PairRow per degree, in the factory's order */
  pairs(i: number, js: readonly number[]): Promise<PairRow[]>;
  /** rows of pairs a session may have in flight (msm.ts FeatureSlots.rowsAtOnce); default 1 */
  readonly rowsAtOnce?: number;
  /** frees memory held outside the JavaScript heap (GPU buffers) at once */
  destroy?(): void;
}

/** Slots for one layer's images on a `grid`² patch grid of `dim` values, scored at `degrees`; `bands` as in msm.ts. */
export type LayerSlotsFactory = (
  grid: number,
  dim: number,
  degrees: readonly number[],
  bands?: PatchBands,
) => LayerSlots;

/** Whether one product per pair serves the degrees (degreeGram.ts): some degree above 1, and every patch against every patch. */
export const sharesDegrees = (degrees: readonly number[], bands?: PatchBands): boolean =>
  degrees.some((r) => r > 1) && (!bands || isExact(bands));

/** One FeatureSlots store per degree, each fed that degree's LNAMD features. */
export function perDegree(slots: FeatureSlotsFactory): LayerSlotsFactory {
  return (grid, dim, degrees, bands) => {
    const stores = degrees.map(() => slots(grid * grid, dim, bands));
    return {
      rowsAtOnce: Math.max(...stores.map((s) => s.rowsAtOnce ?? 1)),
      put(slot, image) {
        degrees.forEach((r, d) => stores[d].put(slot, lnamd(image, r)));
      },
      // Every degree asked at once: a pool of workers then never waits between them.
      pairs: (i, js) => Promise.all(stores.map((s) => s.pairs(i, js))),
      destroy() {
        for (const s of stores) s.destroy?.();
      },
    };
  };
}
