// How one MSM run is split to respect the device's buffer limits: features in image chunks (one
// storage binding each), the N×P×(N−1) nearest table in groups of scored images, and the image
// pairs in dispatches of bounded work so progress and cancellation stay responsive.

export interface ImageRange {
  first: number;
  count: number;
}

/** One compute dispatch: pairs (i < j, global image indices) whose features sit in chunks a and b. */
export interface PairDispatch {
  chunkA: number;
  chunkB: number;
  /** index of the first pair of this dispatch in the group's pair list */
  pairBase: number;
  pairCount: number;
}

export interface GroupPlan {
  /** images whose rows of the nearest table this group fills */
  scored: ImageRange;
  /** (i, j) flattened, i < j, ordered by dispatch */
  pairs: Uint32Array;
  dispatches: PairDispatch[];
}

/** Largest number of whole images whose `bytesPerImage` fit in `capBytes`; throws when not even one fits. */
export function imagesPerBinding(bytesPerImage: number, capBytes: number, images: number, what: string): number {
  const fit = Math.floor(capBytes / bytesPerImage);
  if (fit < 1) {
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    throw new Error(
      `The ${what} of one image take ${mib(bytesPerImage)} MiB, more than this GPU allows in one buffer (${mib(capBytes)} MiB). ` +
        'Use a smaller input size or model, or run on the CPU (WASM).',
    );
  }
  return Math.min(fit, images);
}

export function splitImages(images: number, perRange: number): ImageRange[] {
  const ranges: ImageRange[] = [];
  for (let first = 0; first < images; first += perRange)
    ranges.push({ first, count: Math.min(perRange, images - first) });
  return ranges;
}

/**
 * Pairs to dispatch so that every row of the nearest table of `scored` is filled: each pair with at
 * least one image in the group. A pair reaching outside the group is recomputed by the other
 * image's group (only when the table needs more than one group), which costs some of the
 * symmetry saving but never correctness.
 */
export function planGroup(
  images: number,
  scored: ImageRange,
  imagesPerChunk: number,
  maxPairsPerDispatch: number,
): GroupPlan {
  const byChunks = new Map<number, number[]>();
  const chunks = Math.ceil(images / imagesPerChunk);
  const end = scored.first + scored.count;
  for (let i = 0; i < images; i++) {
    for (let j = i + 1; j < images; j++) {
      const inGroup = (i >= scored.first && i < end) || (j >= scored.first && j < end);
      if (!inGroup) continue;
      const key = Math.floor(i / imagesPerChunk) * chunks + Math.floor(j / imagesPerChunk);
      let list = byChunks.get(key);
      if (!list) byChunks.set(key, (list = []));
      list.push(i, j);
    }
  }
  const pairs = new Uint32Array([...byChunks.values()].reduce((n, list) => n + list.length, 0));
  const dispatches: PairDispatch[] = [];
  let at = 0;
  for (const [key, list] of [...byChunks].sort(([a], [b]) => a - b)) {
    pairs.set(list, at * 2);
    const count = list.length / 2;
    for (let k = 0; k < count; k += maxPairsPerDispatch) {
      dispatches.push({
        chunkA: Math.floor(key / chunks),
        chunkB: key % chunks,
        pairBase: at + k,
        pairCount: Math.min(maxPairsPerDispatch, count - k),
      });
    }
    at += count;
  }
  return { scored, pairs, dispatches };
}
