// What `score` and `watch` write: per image a float32 .npy map and a PNG overlay, the tables
// scores.json / scores.csv, and with --regions regions.json and annotations.coco.json. Every file
// is written to a temporary name and renamed into place, so an interrupted run leaves whole files
// or none.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { CocoInstances } from '../engine/findings/coco.ts';
import type { ScoreScale } from '../engine/session/judge.ts';
import type { Verdict } from '../engine/verdict/batchThreshold.ts';
import { decodeRgb } from '../platform/node/decode.ts';
import { writeHeatmapOverlay, type MapRange } from '../platform/node/heatmap.ts';
import { encodeNpyFloat32 } from '../platform/node/npy.ts';
import type { RegionsFile } from '../engine/findings/files.ts';

export interface ScoreRow {
  path: string;
  /** the image score, on `scale` */
  score: number;
  /** distance: to the known-good references, fixed; batch-relative: min-max then RsCIN within this set */
  scale: ScoreScale;
  /** anomalous when score > threshold; null when none could be set */
  threshold: number | null;
  verdict: Verdict | null;
  /** max of the anomaly map (mean nearest-patch distance, in [0, 2]) */
  rawScore: number;
  /** "near-duplicate of …" or why it is not comparable (engine screening/notes.ts); null when neither, or not screened */
  screening: string | null;
  map: string;
  overlay: string | null;
}

/** A readable, unique file stem per image: its index and its path relative to `base`. */
export function outputStem(path: string, index: number, base: string): string {
  const rel = relative(base, resolve(path)) || basename(path);
  const flat = rel.slice(0, rel.length - extname(rel).length).replace(/[^\w.-]+/g, '_');
  return `${String(index).padStart(4, '0')}_${flat}`;
}

export function commonFolder(paths: readonly string[]): string {
  const dirs = paths.map((p) => dirname(resolve(p)).split(/[\\/]/));
  const first = dirs[0];
  let n = first.length;
  for (const d of dirs) while (n > 0 && d.slice(0, n).join('/') !== first.slice(0, n).join('/')) n--;
  return first.slice(0, n).join('/') || '/';
}

const csvField = (v: string | number | null): string =>
  typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v ?? '');

/** Writes `data` to `path` through a temporary file in the same folder. */
async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}

export class ResultWriter {
  private readonly mapsDir: string;
  private readonly overlaysDir: string | null;

  constructor(
    readonly outDir: string,
    private readonly size: number,
    overlays: boolean,
  ) {
    this.mapsDir = join(outDir, 'maps');
    this.overlaysDir = overlays ? join(outDir, 'overlays') : null;
  }

  async prepare(): Promise<void> {
    await mkdir(this.mapsDir, { recursive: true });
    if (this.overlaysDir) await mkdir(this.overlaysDir, { recursive: true });
  }

  /** Writes one image's map and overlay (the map coloured over `range`); returns their paths. */
  async writeImage(
    path: string,
    stem: string,
    map: Float32Array,
    range: MapRange,
  ): Promise<{ map: string; overlay: string | null }> {
    const mapPath = join(this.mapsDir, `${stem}.npy`);
    await writeWhole(mapPath, encodeNpyFloat32(map, [this.size, this.size]));
    if (!this.overlaysDir) return { map: mapPath, overlay: null };
    const overlay = join(this.overlaysDir, `${stem}.png`);
    const partial = `${overlay}.partial.png`;
    await writeHeatmapOverlay(partial, await decodeRgb(path), map, this.size, range);
    await rename(partial, overlay);
    return { map: mapPath, overlay };
  }

  async writeTables(rows: readonly ScoreRow[]): Promise<void> {
    await writeWhole(join(this.outDir, 'scores.json'), `${JSON.stringify(rows, null, 2)}\n`);
    const header = 'path,score,scale,threshold,verdict,raw_score,map,overlay,screening';
    const lines = rows.map((r) =>
      [r.path, r.score, r.scale, r.threshold, r.verdict, r.rawScore, r.map, r.overlay, r.screening]
        .map(csvField)
        .join(','),
    );
    await writeWhole(join(this.outDir, 'scores.csv'), `${[header, ...lines].join('\n')}\n`);
  }

  /** `score --regions`: regions.json and annotations.coco.json */
  async writeFindings(regions: RegionsFile, coco: CocoInstances): Promise<void> {
    await writeWhole(join(this.outDir, 'regions.json'), `${JSON.stringify(regions, null, 2)}\n`);
    await writeWhole(join(this.outDir, 'annotations.coco.json'), `${JSON.stringify(coco)}\n`);
  }
}
