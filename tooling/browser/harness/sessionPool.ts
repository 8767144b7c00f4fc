// A scoring session on the WASM MSM pool's layer slots (src/worker/msmPool.ts, every degree from
// one product per pair) against the same session on the in-page WebAssembly kernel scoring each
// degree's features apart (perDegree(nearestSlots)): images added in pieces, one removed and its
// slot reused, scores compared after every step.

import { nearestSlots } from '../../../src/engine/kernels/nearestRows.ts';
import { perDegree } from '../../../src/engine/layerSlots.ts';
import { randomValues, seededRandom } from '../../../src/engine/random.ts';
import { ScoringSession, type SessionConfig, type SessionState } from '../../../src/engine/session/session.ts';
import { DEFAULT_CONFIG, type LayerFeatures, type MuscInput } from '../../../src/engine/types.ts';
import type { MsmPool } from '../../../src/worker/msmPool.ts';
import type { SessionPoolReport, SessionPoolRequest } from './protocol.ts';

const GRID = 4;
const DIMS = [10, 16]; // 10: rows padded to a multiple of 4 in the kernel
/** added in these pieces; after the third, image 4 is removed, so image 12 reuses its slot */
const PIECES = [
  [0, 1, 2],
  [3, 4, 5, 6],
  [7, 8, 9, 10, 11],
  [12, 13],
];
const REMOVED_AFTER_PIECE = 2;

const config: SessionConfig = {
  ...DEFAULT_CONFIG,
  rList: [1, 3],
  imageSize: 16,
  forceSmallBatch: false,
  scorers: 'all',
};

/** Images `picks` of a seeded set of random images: every layer with a CLS token. */
function imagesInput(seed: number, picks: readonly number[]): MuscInput {
  return {
    layers: DIMS.map((dim, l): LayerFeatures => {
      const size = (1 + GRID * GRID) * dim;
      const data = new Float32Array(picks.length * size);
      picks.forEach((n, k) => data.set(randomValues(size, seededRandom(seed + 1000 * l + n)), k * size));
      return { data, images: picks.length, grid: GRID, dim, skip: 1 };
    }),
    embeddings: null,
    embedDim: 0,
  };
}

/** Largest |difference| of patch scores, and how many were compared; a score present on one side only is Infinity. */
function compare(pool: SessionState, page: SessionState): { worst: number; compared: number } {
  let worst = pool.images.length === page.images.length ? 0 : Infinity;
  let compared = 0;
  for (const image of pool.images) {
    const other = page.images.find((i) => i.id === image.id);
    const [a, b] = [image.patchScores, other?.patchScores ?? null];
    if (a === null || b === null || a.length !== b.length) {
      if (a !== b) worst = Infinity;
      continue;
    }
    for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p] - b[p]));
    compared += a.length;
  }
  return { worst, compared };
}

/** The error a pairs call raises after a put of the wrong length, or null when it raises none. */
async function badPut(pool: MsmPool): Promise<string | null> {
  const [grid, dim] = [2, 8];
  const slots = pool.slots(grid, dim, [1, 3]);
  const image = (data: Float32Array): LayerFeatures => ({ data, images: 1, grid, dim, skip: 0 });
  try {
    slots.put(0, image(randomValues(grid * grid * dim, seededRandom(1))));
    slots.put(1, image(new Float32Array(3)));
    await slots.pairs(0, []);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    slots.destroy?.();
  }
}

export async function sessionOnPool(pool: MsmPool, { seed }: SessionPoolRequest): Promise<SessionPoolReport> {
  const onPool = new ScoringSession(config, DIMS.length, pool.slots);
  const inPage = new ScoringSession(config, DIMS.length, perDegree(nearestSlots));
  let worst = 0;
  let compared = 0;
  let images: number;
  const check = (): void => {
    const step = compare(onPool.state(), inPage.state());
    worst = Math.max(worst, step.worst);
    compared += step.compared;
  };
  try {
    for (const [k, piece] of PIECES.entries()) {
      const images = piece.map((n) => ({ id: `img${n}`, role: 'query' as const }));
      const input = imagesInput(seed, piece);
      await onPool.add(images, input);
      await inPage.add(images, input);
      check();
      if (k === REMOVED_AFTER_PIECE) {
        await onPool.remove(['img4']);
        await inPage.remove(['img4']);
        check();
      }
    }
    images = onPool.size;
  } finally {
    onPool.close();
    inPage.close();
  }
  return {
    threads: pool.threads,
    pairsAnswered: pool.pairsAnswered(),
    images,
    compared,
    worst,
    badPut: await badPut(pool),
  };
}
