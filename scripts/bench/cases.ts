// Bench cases. Each runner measures one thing and emits one record per backend it ran.

import { scorerWindow } from '../../src/engine/config.ts';
import { mutualScores } from '../../src/engine/msm.ts';
import { runMusc } from '../../src/engine/pipeline.ts';
import { randomUnitRows, randomValues, seededRandom } from '../../src/engine/random.ts';
import { DEFAULT_CONFIG, type LayerFeatures } from '../../src/engine/types.ts';
import type { Measurement } from '../../tooling/browser/harness/protocol.ts';
import type { NodeBackend } from './nodeBackends.ts';

export type BenchRecord = Record<string, string | number | boolean>;

export interface CaseOptions {
  images: number;
  grid: number;
  dim: number;
  backends: NodeBackend[];
  emit: (record: BenchRecord) => void;
}

export type CaseRunner = (options: CaseOptions) => Promise<void>;

/** Stop repeating a measurement once this much time went into it (but run it at least once). */
export const REPEAT_BUDGET_MS = 20_000;
export const REPEATS = 3;
/** Software WebGPU (SwiftShader, lavapipe): skip a case whose single run would take longer than this. */
export const SOFTWARE_WEBGPU_CAP_MS = 120_000;
/** The whole-pipeline case must fit a laptop browser tab's budget. */
const RSS_BUDGET_MB = 2048;

/** Peak RSS of this process so far (not of one case: earlier cases in the same run count). */
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Samples this process's resident set while `run` goes, and returns its largest value in MB. */
export async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** 2·N(N−1)·P²·D: the reference's MSM FLOPs (each ordered pair), for comparable GFLOP/s. */
export const msmFlops = (images: number, grid: number, dim: number): number =>
  2 * images * (images - 1) * grid ** 4 * dim;

/** The adapter as records name it: vendor, architecture and description. */
export const adapterText = (a: { vendor: string; architecture: string; description: string }): string =>
  `${a.vendor} ${a.architecture} ${a.description}`.trim();

/** A measureMsm result (tooling/browser/harness/msmBench.ts) as record fields: time and rate, or why it was skipped. */
export function measurementFields(m: Measurement, images: number, grid: number, dim: number): BenchRecord {
  if (!m.measured) return { skipped: m.reason, estimated_ms: Math.round(m.estimatedMs) };
  return {
    ms: Math.round(m.ms),
    gflops_effective: +(msmFlops(images, grid, dim) / m.ms / 1e6).toFixed(2),
    runs: m.runs,
  };
}

/** One MSM over random unit features, best of a few runs, per backend. */
export const msmCase: CaseRunner = async ({ images, grid, dim, backends, emit }) => {
  const patches = grid * grid;
  const z = randomUnitRows(images * patches, dim, seededRandom(42));
  const window = scorerWindow(images, DEFAULT_CONFIG.interval, true);
  for (const backend of backends) {
    const kernel = backend.kernel();
    let best = Infinity;
    const started = performance.now();
    for (let run = 0; run < REPEATS && performance.now() - started < REPEAT_BUDGET_MS; run++) {
      const t0 = performance.now();
      await mutualScores(z, images, patches, dim, window, { kernel });
      best = Math.min(best, performance.now() - t0);
    }
    emit({
      case: 'msm',
      backend: backend.name,
      images,
      grid,
      dim,
      ms: Math.round(best),
      gflops_effective: +(msmFlops(images, grid, dim) / best / 1e6).toFixed(2),
      peak_rss_mb: peakRssMb(),
    });
  }
};

/** The whole runMusc at MVTec-bottle scale: N = 83, 4 layers, r ∈ {1, 3, 5}, per backend given. */
export const muscScaleCase: CaseRunner = async ({ images, grid, dim, backends, emit }) => {
  const layerCount = 4;
  const random = seededRandom(7);
  const layers = Array.from({ length: layerCount }, (): LayerFeatures => ({
    data: randomValues(images * (1 + grid * grid) * dim, random),
    images,
    grid,
    dim,
    skip: 1,
  }));
  const embedDim = 768;
  const embeddings = randomUnitRows(images, embedDim, random);
  const config = { ...DEFAULT_CONFIG, imageSize: 224 };
  for (const backend of backends) {
    let lastDecile = -1;
    const t0 = performance.now();
    await runMusc({ layers, embeddings, embedDim }, config, {
      similarity: backend.kernel(),
      onProgress: ({ stage, done, total }) => {
        const decile = Math.floor((10 * done) / total);
        if (stage === 'msm' && decile > lastDecile) {
          lastDecile = decile;
          process.stderr.write(
            `[musc-scale ${backend.name}] msm ${10 * decile}% (${Math.round(performance.now() - t0)} ms, rss peak ${peakRssMb()} MB)\n`,
          );
        }
      },
    });
    const ms = performance.now() - t0;
    const peak = peakRssMb();
    const sets = layerCount * config.rList.length;
    emit({
      case: 'musc-scale',
      backend: backend.name,
      images,
      grid,
      dim,
      layers: layerCount,
      r_list: config.rList.join(','),
      ms: Math.round(ms),
      gflops_effective: +((sets * msmFlops(images, grid, dim)) / ms / 1e6).toFixed(2),
      peak_rss_mb: peak,
      rss_within_2gib: peak < RSS_BUDGET_MB,
    });
  }
};

export const CASES: Record<string, CaseRunner> = { msm: msmCase, 'musc-scale': muscScaleCase };
