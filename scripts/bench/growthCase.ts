// Growth with the batch and the grid (README "Growth with the batch and the grid"): one MSM over one
// (r, layer) feature set of random unit features (D = --dim), on a Node backend (--backends,
// onnxruntime-node by default), exact and with each shortcut (--methods),
// for N = 50 … 1344 at 14×14 and for grids 14 … 32 at N = 100. A run whose time, predicted from the
// method's previous run at its time per patch comparison, is over the cap is not run: its record
// says so and gives the prediction. `peak_rss_mb` is sampled while that run goes, on top
// of the features it scores (N·P·D floats, `features_mb`).

import { comparisons, patchBands } from '../../src/engine/alignment.ts';
import { candidateRing, everyOtherImage } from '../../src/engine/candidates.ts';
import { scorerWindow } from '../../src/engine/config.ts';
import { mutualScores } from '../../src/engine/msm.ts';
import { randomUnitRows, seededRandom } from '../../src/engine/random.ts';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';
import { withPeakRss, type BenchRecord } from './cases.ts';
import type { NodeBackend } from './nodeBackends.ts';
import type { Method } from './tradeoffsCase.ts';

const BATCHES = [50, 100, 200, 400, 1344];
const GRIDS = [14, 21, 28, 32];
const GRID_SERIES_IMAGES = 100;
/** Longest single run this case starts (a prediction over it is reported instead). */
const CAP_MS = 300_000;

export interface GrowthOptions {
  dim: number;
  backend: NodeBackend;
  methods: Method[];
  emit: (record: BenchRecord) => void;
}

export async function runGrowthCase({ dim, backend, methods, emit }: GrowthOptions): Promise<void> {
  const kernel = backend.kernel();
  const shapes = [
    ...BATCHES.map((images) => ({ images, grid: 14 })),
    ...GRIDS.filter((g) => g !== 14).map((grid) => ({ images: GRID_SERIES_IMAGES, grid })),
  ];
  for (const method of methods) {
    // ms per patch comparison of the method's last run: predicts the next one
    let msPerComparison: number | null = null;
    for (const { images, grid } of shapes) {
      const patches = grid * grid;
      const bands = patchBands(grid, method.aligned);
      const ring = method.candidates === null ? null : candidateRing(images, method.candidates);
      // random features: the ring's order does not change the time, so the plan runs on them as they are
      const plan = ring?.plan ?? everyOtherImage(images);
      const pairs = Array.from({ length: images }, (_, i) => plan.partners(i).length).reduce((a, b) => a + b, 0);
      const work = pairs * comparisons(bands);
      const common: BenchRecord = {
        case: 'growth',
        backend: backend.name,
        method: method.name,
        images,
        grid,
        dim,
        pairs,
        features_mb: Math.round((images * patches * dim * 4) / 2 ** 20),
      };
      const predictedMs = msPerComparison === null ? 0 : msPerComparison * work;
      if (predictedMs > CAP_MS) {
        emit({
          ...common,
          skipped: `predicted ${Math.round(predictedMs / 1000)} s from the last run's time per comparison, over the ${CAP_MS / 1000} s cap`,
          predicted_ms: Math.round(predictedMs),
        });
        continue;
      }
      const z = randomUnitRows(images * patches, dim, seededRandom(42));
      const window = scorerWindow(plan.scorers + 1, DEFAULT_CONFIG.interval, true);
      const started = performance.now();
      const { peakRssMb } = await withPeakRss(() =>
        mutualScores(z, images, patches, dim, window, {
          kernel,
          plan,
          bands,
        }),
      );
      const ms = performance.now() - started;
      msPerComparison = ms / work;
      emit({ ...common, ms: Math.round(ms), ms_per_pair: +(ms / pairs).toFixed(3), peak_rss_mb: peakRssMb });
    }
  }
}
