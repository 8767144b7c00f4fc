// One MSM benchmark, the same in the page (WebGPU) and in the WASM worker: a one-pair probe
// (after a warm-up that compiles shaders or creates sessions) predicts a run; then the best of
// a few runs on the Node bench's data (scripts/bench/cases.ts, seed 42).

import { scorerWindow, type ScorerWindow } from '../../../src/engine/config.ts';
import { randomUnitRows, seededRandom } from '../../../src/engine/random.ts';
import { DEFAULT_CONFIG } from '../../../src/engine/types.ts';
import type { BenchRequest, Measurement } from './protocol.ts';

/** One MSM over unit rows z [images, P, D] with the backend under test. */
export type Msm = (
  z: Float32Array,
  images: number,
  window: Pick<ScorerWindow, 'kMin' | 'kMax'>,
) => Promise<Float64Array>;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

export async function measureMsm(msm: Msm, request: BenchRequest): Promise<Measurement> {
  const { images, grid, dim, runs, repeatBudgetMs, skipAboveMs } = request;
  const patches = grid * grid;
  const probe = randomUnitRows(2 * patches, dim, seededRandom(1));
  await msm(probe, 2, { kMin: 0, kMax: 1 });
  const estimatedMs = ((await timed(() => msm(probe, 2, { kMin: 0, kMax: 1 }))) * images * (images - 1)) / 2;
  if (skipAboveMs !== undefined && estimatedMs > skipAboveMs) {
    const reason = `one run is estimated at ${Math.round(estimatedMs / 1000)} s from a one-pair probe, over the ${Math.round(skipAboveMs / 1000)} s cap`;
    return { measured: false, reason, estimatedMs };
  }
  const z = randomUnitRows(images * patches, dim, seededRandom(42));
  const window = scorerWindow(images, DEFAULT_CONFIG.interval, true);
  let best = Infinity;
  let done = 0;
  const start = performance.now();
  while (done < runs && (done === 0 || performance.now() - start < repeatBudgetMs)) {
    best = Math.min(best, await timed(() => msm(z, images, window)));
    done += 1;
  }
  return { measured: true, ms: best, runs: done };
}
