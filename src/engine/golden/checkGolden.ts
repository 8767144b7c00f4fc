// Runs one golden case through the engine and reports, per output, the worst absolute deviation
// from the reference next to its tolerance (../shared/golden/README.md).

import { evaluatePixels } from '../metrics/evaluation.ts';
import { imageMetrics } from '../metrics/ranking.ts';
import { anomalyMap, runMusc } from '../pipeline.ts';
import type { ImageMetrics, LayerFeatures, MsmEngine, MuscConfig, MuscResult, PixelMetrics } from '../types.ts';

import type { GoldenCase, GoldenMetrics, PipelineGoldenCase } from './goldenCase.ts';
import { GOLDEN_TOLERANCE } from './tolerance.ts';

export interface OutputDeviation {
  output: string;
  worst: number;
  tolerance: number;
}

/** Largest |actual − expected|; a NaN, a null (undefined metric) or a length mismatch counts as infinitely far. */
export function worstDeviation(actual: ArrayLike<number | null>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const value = actual[i];
    const d = value === null ? NaN : Math.abs(value - expected[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

function metricDeviations(
  image: ImageMetrics,
  pixel: PixelMetrics,
  expected: GoldenMetrics,
  tolerance: number,
): OutputDeviation[] {
  const e = expected;
  return [
    {
      output: 'image_metrics',
      worst: worstDeviation([image.auroc, image.ap, image.f1Max], [e.image.auroc, e.image.ap, e.image.f1_max]),
      tolerance,
    },
    {
      output: 'pixel_metrics',
      worst: worstDeviation(
        [pixel.auroc, pixel.ap, pixel.f1Max, pixel.aupro],
        [e.pixel.auroc, e.pixel.ap, e.pixel.f1_max, e.pixel.aupro],
      ),
      tolerance,
    },
  ];
}

/** Pixel metrics of the case's maps against its masks (already S×S, 1 = anomalous). */
async function pixelMetrics(c: GoldenCase, mapOf: (m: number) => Float32Array | Float64Array): Promise<PixelMetrics> {
  const [images, size] = c.masks.shape;
  const mask = (m: number) => c.masks.data.subarray(m * size * size, (m + 1) * size * size);
  return (await evaluatePixels({ images, size, map: mapOf, mask, rule: 'int-cast' })).metrics;
}

/** The golden taps [L, N, 1+P, D] as engine layers (token 0 is CLS). */
export function goldenLayers(c: PipelineGoldenCase): LayerFeatures[] {
  const { images, grid, dim, layers } = c.config;
  const layerSize = images * (1 + grid * grid) * dim;
  return Array.from({ length: layers }, (_, l) => ({
    data: c.taps.subarray(l * layerSize, (l + 1) * layerSize),
    images,
    grid,
    dim,
    skip: 1,
  }));
}

/** What a pipeline case compares; per_r_layer only when layerScores is given. */
export type PipelineOutputs = Pick<
  MuscResult,
  'images' | 'grid' | 'patchScores' | 'imageScoresRaw' | 'imageScores' | 'layerScores'
>;

/** Deviations of a run's outputs (runMusc, or a scoring session fed in pieces) from a pipeline case. */
export async function pipelineDeviations(c: PipelineGoldenCase, result: PipelineOutputs): Promise<OutputDeviation[]> {
  const { config: cfg, expected } = c;
  const size = cfg.imageSize;
  const maps = new Float32Array(cfg.images * size * size);
  for (let n = 0; n < cfg.images; n++) maps.set(anomalyMap(result, n, size), n * size * size);
  const tol = GOLDEN_TOLERANCE.scores;
  return [
    ...(result.layerScores
      ? [{ output: 'per_r_layer', worst: worstDeviation(result.layerScores, expected.perRLayer), tolerance: tol }]
      : []),
    { output: 'patch_scores', worst: worstDeviation(result.patchScores, expected.patchScores), tolerance: tol },
    { output: 'maps', worst: worstDeviation(maps, expected.maps), tolerance: tol },
    {
      output: 'image_scores_raw',
      worst: worstDeviation(result.imageScoresRaw, expected.imageScoresRaw),
      tolerance: tol,
    },
    { output: 'image_scores', worst: worstDeviation(result.imageScores, expected.imageScores), tolerance: tol },
    ...metricDeviations(
      imageMetrics(c.labels, result.imageScores),
      await pixelMetrics(c, (m) => maps.subarray(m * size * size, (m + 1) * size * size)),
      c.metrics,
      GOLDEN_TOLERANCE.pipelineMetrics,
    ),
  ];
}

/** The case's run configuration. */
export function goldenConfig(c: PipelineGoldenCase): MuscConfig {
  const cfg = c.config;
  return {
    rList: cfg.rList,
    interval: cfg.interval,
    kList: cfg.kList,
    imageSize: cfg.imageSize,
    forceSmallBatch: false,
  };
}

async function checkPipeline(c: PipelineGoldenCase, engine: MsmEngine): Promise<OutputDeviation[]> {
  const result = await runMusc(
    { layers: goldenLayers(c), embeddings: c.cls, embedDim: c.config.embedDim },
    goldenConfig(c),
    { ...engine, keepLayerScores: true },
  );
  return pipelineDeviations(c, result);
}

export async function checkGoldenCase(c: GoldenCase, engine: MsmEngine): Promise<OutputDeviation[]> {
  if (c.kind === 'pipeline') return checkPipeline(c, engine);
  const pixels = c.masks.shape[1] * c.masks.shape[2];
  return metricDeviations(
    imageMetrics(c.labels, c.imageScores),
    await pixelMetrics(c, (m) => c.maps.subarray(m * pixels, (m + 1) * pixels)),
    c.metrics,
    GOLDEN_TOLERANCE.metricsCase,
  );
}
