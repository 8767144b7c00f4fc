// How one pairs(i, js) call of the feature slots is split to respect the device's limits: the
// targets js in runs whose forward and backward tables fit one binding each, and within a run in
// dispatches of targets from one chunk (one featuresB binding), each at most `perDispatch` pairs.

import type { SlotPlace } from './slotStore.ts';

export interface TargetDispatch {
  /** chunk holding every target of this dispatch */
  chunk: number;
  /** first entry of this dispatch in the run's target list */
  base: number;
  count: number;
}

export interface TargetRun {
  /** js[first .. first + count) are this run's targets, column t − first of its tables */
  first: number;
  count: number;
  /** (t − first, place in its chunk) flattened, ordered by dispatch */
  targets: Uint32Array;
  dispatches: TargetDispatch[];
}

export function planTargets(places: readonly SlotPlace[], perTable: number, perDispatch: number): TargetRun[] {
  const runs: TargetRun[] = [];
  for (let first = 0; first < places.length; first += perTable) {
    const count = Math.min(perTable, places.length - first);
    const byChunk = new Map<number, number[]>();
    for (let t = 0; t < count; t++) {
      const { chunk, place } = places[first + t];
      let list = byChunk.get(chunk);
      if (!list) byChunk.set(chunk, (list = []));
      list.push(t, place);
    }
    const targets = new Uint32Array(2 * count);
    const dispatches: TargetDispatch[] = [];
    let at = 0;
    for (const [chunk, list] of [...byChunk].sort(([a], [b]) => a - b)) {
      targets.set(list, 2 * at);
      const inChunk = list.length / 2;
      for (let k = 0; k < inChunk; k += perDispatch)
        dispatches.push({ chunk, base: at + k, count: Math.min(perDispatch, inChunk - k) });
      at += inChunk;
    }
    runs.push({ first, count, targets, dispatches });
  }
  return runs;
}
