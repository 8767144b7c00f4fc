// The export: scores and verdicts as CSV and JSON, heatmap overlays and binary masks as PNG,
// and the known-good references' own image files under references/ (so a booth can import
// them again as its reference set), in one zip. Numbers are formatted by results/format.ts, as on screen; overlays use the view
// settings on screen (colormap, opacity, normalisation).
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { BatchScores, Evaluation, ScoreSettings } from '../../worker/protocol.ts';
import { anomalyMapOf, mapRange } from '../heatmap/maps.ts';
import { drawMask, drawOverlay } from '../heatmap/render.ts';
import { formatDistance, formatMetric, formatScore } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import { findingsFiles } from '../../engine/findings/files.ts';
import { PIXEL_THRESHOLD_RULE } from '../../engine/findings/threshold.ts';
import type { ViewSettings } from '../store.ts';

export const CSV_HEADER = ['rank', 'file', 'score', 'verdict', 'map_max'];

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The findings only: references have no verdict and are exported as image files. */
export function scoresCsv(results: BatchResults): string {
  const lines = results.findings.map((r) =>
    [String(r.rank), r.image.name, formatScore(r.score), r.verdict, formatDistance(r.mapMax)].map(csvField).join(','),
  );
  return [CSV_HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}

export interface ExportContext {
  results: BatchResults;
  scores: BatchScores;
  settings: ScoreSettings;
  view: ViewSettings;
  evaluation: Evaluation | null;
  thresholdRule: string;
}

function scoresJson({ results, scores, settings, evaluation, thresholdRule }: ExportContext): string {
  const { threshold, counts, scale } = results;
  // Scores and distances at full precision, for other programs (scores.csv carries the screen's
  // text); metrics in % as shown. An undefined metric (one class only) is null, never a number.
  const metric = (m: Record<string, number | null>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null ? null : Number(formatMetric(v))]));
  return JSON.stringify(
    {
      generator: 'MuScope',
      exportedAt: new Date().toISOString(),
      model: { id: scores.model.modelId, variant: scores.model.variant, backend: scores.model.backendInfo.backend },
      settings,
      scale,
      scoresAreBatchRelative: scale === 'batch-relative',
      forcedSmallBatch: scores.forcedSmallBatch,
      threshold: {
        value: threshold.value,
        mode: threshold.mode,
        basis: threshold.rule,
        rule: thresholdRule,
        pixelRule: PIXEL_THRESHOLD_RULE,
        screeningRule: threshold.screeningRule,
        normalMapLevel: threshold.pixel.value,
      },
      counts,
      images: results.findings.map((r) => ({
        rank: r.rank,
        file: r.image.name,
        path: r.image.path,
        score: r.score,
        verdict: r.verdict,
        mapMax: r.mapMax,
        pixelThreshold: r.pixelThreshold,
        screening: r.screeningText,
      })),
      references: results.references.map((r) => ({
        file: r.image.name,
        path: r.image.path,
        exportedAs: referenceFiles(results).get(r.image.key),
        score: r.score,
        mapMax: r.mapMax,
        screening: r.screeningText,
      })),
      ...(evaluation && {
        evaluationPercent: { image: metric({ ...evaluation.image }), pixel: metric({ ...evaluation.pixel }) },
      }),
    },
    null,
    2,
  );
}

/**
 * The findings' regions as score --regions writes them (engine findings/files.ts): regions.json
 * and COCO instances for labelling tools, each image named by its path in the batch.
 */
function findingsJson(results: BatchResults, scores: BatchScores): Zippable {
  const { findings, references } = results;
  const { regions, coco } = findingsFiles({
    paths: findings.map((r) => r.image.path),
    sizes: findings.map(({ image }) => ({ width: image.width, height: image.height })),
    map: (n) => anomalyMapOf(scores, findings[n].index),
    size: scores.mapSize,
    grid: scores.grid,
    rawScores: findings.map((r) => r.mapMax),
    verdicts: findings.map((r) => (r.verdict === 'normal' || r.verdict === 'anomalous' ? r.verdict : null)),
    referenceMaxima: references.map((r) => r.mapMax),
  });
  return {
    'regions.json': strToU8(JSON.stringify(regions, null, 2)),
    'annotations.coco.json': strToU8(JSON.stringify(coco)),
  };
}

async function png(canvas: OffscreenCanvas): Promise<Uint8Array> {
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

/** File name for an image's PNGs: its batch name with folders flattened. */
function pngName(name: string, suffix: string): string {
  return `${name.replace(/\.[^./]+$/, '').replace(/[\\/]/g, '_')}${suffix}.png`;
}

/** The references' paths in the zip (folders flattened, a number added where two names meet). */
function referenceFiles(results: BatchResults): Map<string, string> {
  const taken = new Set<string>();
  const paths = new Map<string, string>();
  for (const { image } of results.references) {
    const flat = image.name.replace(/[\\/]/g, '_');
    let path = `references/${flat}`;
    for (let n = 2; taken.has(path); n++) path = `references/${flat.replace(/(\.[^.]*)?$/, `-${n}$1`)}`;
    taken.add(path);
    paths.set(image.key, path);
  }
  return paths;
}

export async function exportBatch(context: ExportContext): Promise<Blob> {
  const { results, scores, view } = context;
  const files: Zippable = {
    'scores.csv': strToU8(scoresCsv(results)),
    'scores.json': strToU8(scoresJson(context)),
    ...findingsJson(results, scores),
  };
  const referencePaths = referenceFiles(results);
  for (const { image } of results.references) {
    // The photos as they came in, not re-encoded: importing them again gives the same parts (same keys).
    const path = referencePaths.get(image.key);
    if (path) files[path] = [new Uint8Array(await image.blob.arrayBuffer()), { level: 0 }];
  }
  for (const row of results.findings) {
    const bitmap = await createImageBitmap(row.image.blob, { imageOrientation: 'from-image' });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const map = anomalyMapOf(scores, row.index);
    drawOverlay(
      ctx,
      { image: bitmap, map, mapSize: scores.mapSize },
      {
        colormap: view.colormap,
        opacity: view.opacity,
        range: mapRange(scores, row.index, view.normalization),
        outlineAbove: view.showOutline ? row.pixelThreshold : null,
      },
    );
    bitmap.close();
    // PNGs are compressed already: store them as they are.
    files[`overlays/${pngName(row.image.name, '_overlay')}`] = [await png(canvas), { level: 0 }];
    drawMask(ctx, map, scores.mapSize, row.pixelThreshold);
    files[`masks/${pngName(row.image.name, '_mask')}`] = [await png(canvas), { level: 0 }];
  }
  return new Blob([zipSync(files)], { type: 'application/zip' });
}
