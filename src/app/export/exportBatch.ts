// The export: scores and verdicts as CSV and JSON, heatmap overlays and binary masks as PNG,
// in one zip. Numbers are formatted by results/format.ts, as on screen; overlays use the view
// settings on screen (colormap, opacity, normalisation).
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { BatchScores, Evaluation, ScoreSettings } from '../../worker/protocol.ts';
import { anomalyMapOf, mapRange } from '../heatmap/maps.ts';
import { drawMask, drawOverlay } from '../heatmap/render.ts';
import { formatDistance, formatMetric, formatScore } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import type { ViewSettings } from '../store.ts';

export const CSV_HEADER = ['rank', 'file', 'score', 'verdict', 'map_max'];

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function scoresCsv(results: BatchResults): string {
  const lines = results.rows.map((r) =>
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
  const { threshold, counts } = results;
  // An undefined metric (one class only) is exported as null, never as a number.
  const metric = (m: Record<string, number | null>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null ? null : Number(formatMetric(v))]));
  return JSON.stringify(
    {
      generator: 'MuScope',
      exportedAt: new Date().toISOString(),
      model: { id: scores.model.modelId, variant: scores.model.variant, backend: scores.model.backendInfo.backend },
      settings,
      scoresAreBatchRelative: true,
      forcedSmallBatch: scores.forcedSmallBatch,
      threshold: {
        value: Number(formatScore(threshold.value)),
        mode: threshold.mode,
        rule: thresholdRule,
        pixelThreshold: Number(formatDistance(threshold.pixel)),
      },
      counts,
      images: results.rows.map((r) => ({
        rank: r.rank,
        file: r.image.name,
        path: r.image.path,
        score: Number(formatScore(r.score)),
        verdict: r.verdict,
        mapMax: Number(formatDistance(r.mapMax)),
      })),
      ...(evaluation && {
        evaluationPercent: { image: metric({ ...evaluation.image }), pixel: metric({ ...evaluation.pixel }) },
      }),
    },
    null,
    2,
  );
}

async function png(canvas: OffscreenCanvas): Promise<Uint8Array> {
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

/** File name for an image's PNGs: its batch name with folders flattened. */
function pngName(name: string, suffix: string): string {
  return `${name.replace(/\.[^./]+$/, '').replace(/[\\/]/g, '_')}${suffix}.png`;
}

export async function exportBatch(context: ExportContext): Promise<Blob> {
  const { results, scores, view } = context;
  const files: Zippable = {
    'scores.csv': strToU8(scoresCsv(results)),
    'scores.json': strToU8(scoresJson(context)),
  };
  for (const row of results.rows) {
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
        outlineAbove: view.showOutline ? results.threshold.pixel : null,
      },
    );
    bitmap.close();
    // PNGs are compressed already: store them as they are.
    files[`overlays/${pngName(row.image.name, '_overlay')}`] = [await png(canvas), { level: 0 }];
    drawMask(ctx, map, scores.mapSize, results.threshold.pixel);
    files[`masks/${pngName(row.image.name, '_mask')}`] = [await png(canvas), { level: 0 }];
  }
  return new Blob([zipSync(files)], { type: 'application/zip' });
}
