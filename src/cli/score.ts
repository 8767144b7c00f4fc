// `muscope score <folder-or-files…> --model <id>`: scores every usable image against the others and
// writes scores.json / scores.csv, one float32 .npy map and one PNG overlay per image.

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { decodeRgb } from '../node/decode.ts';
import { writeHeatmapOverlay } from '../node/heatmap.ts';
import { listImages, InputPathError } from '../node/listImages.ts';
import { writeNpyFloat32 } from '../node/npy.ts';
import { intOption, parseArgs, UsageError } from './args.ts';
import { DEFAULT_OUT_DIR, inputSize, MODEL_OPTIONS, modelChoice, reportProblems, requireEnoughImages } from './common.ts';
import { loadSquashed } from './loadImages.ts';
import { openModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { scoreImages } from './scoring.ts';

export const SCORE_USAGE =
  'muscope score <folder-or-files…> --model <id> [--variant fp32] [--size S] [--grid G] [--msm cpu|webgpu|webgpu-f16] [--encoder node|webgpu] [--max-batch M] [--out DIR] [--force-small-batch] [--no-overlays]';

export interface ScoreRow {
  path: string;
  /** final image score: min-max within this set, then RsCIN; comparable only within the set */
  score: number;
  /** max of the anomaly map (mean nearest-patch distance, in [0, 2]) */
  rawScore: number;
  map: string;
  overlay: string | null;
}

/** A readable, unique file stem per image: its index and its path relative to the common folder. */
function outputStem(path: string, index: number, base: string): string {
  const rel = relative(base, resolve(path)) || basename(path);
  const flat = rel.slice(0, rel.length - extname(rel).length).replace(/[^\w.-]+/g, '_');
  return `${String(index).padStart(4, '0')}_${flat}`;
}

function commonFolder(paths: readonly string[]): string {
  const dirs = paths.map((p) => dirname(resolve(p)).split(/[\\/]/));
  const first = dirs[0];
  let n = first.length;
  for (const d of dirs) while (n > 0 && d.slice(0, n).join('/') !== first.slice(0, n).join('/')) n--;
  return first.slice(0, n).join('/') || '/';
}

const csvField = (v: string | number | null): string => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v ?? ''));

export async function scoreCommand(argv: string[], progress: ProgressReporter): Promise<void> {
  const args = parseArgs(argv, { flags: ['force-small-batch', 'no-overlays'], values: [...MODEL_OPTIONS, 'max-batch'] });
  if (args.positional.length === 0) throw new UsageError(`nothing to score. Usage: ${SCORE_USAGE}`);
  const choice = modelChoice(args);
  const force = args.flags.has('force-small-batch');
  const maxBatch = intOption(args, 'max-batch', Number.MAX_SAFE_INTEGER, 5) as number;
  const outDir = args.values.get('out') ?? DEFAULT_OUT_DIR;

  const files = await listImages(args.positional);
  if (files.length === 0) throw new InputPathError(`no image files found in ${args.positional.join(', ')}`);
  const model = await openModel(choice.id, choice.dtype, choice.msm, choice.encoder);
  try {
    const size = inputSize(model, choice);
    const loaded = await loadSquashed(files, size, model.manifest.input.resize, progress);
    reportProblems(loaded.problems, progress);
    requireEnoughImages(loaded.images.length, loaded.problems.length, force);

    const set = await scoreImages(model, loaded.images, { size, grid: choice.grid, maxBatch, forceSmallBatch: force, progress });
    loaded.images.length = 0; // the squashed copies are not needed for writing

    const mapsDir = join(outDir, 'maps');
    const overlaysDir = join(outDir, 'overlays');
    await mkdir(mapsDir, { recursive: true });
    if (!args.flags.has('no-overlays')) await mkdir(overlaysDir, { recursive: true });
    const base = commonFolder(loaded.paths);
    const rows: ScoreRow[] = [];
    for (const [n, path] of loaded.paths.entries()) {
      progress.update('write maps and overlays', n, loaded.paths.length);
      const stem = outputStem(path, n, base);
      const map = set.map(n, new Float32Array(size * size));
      const mapPath = join(mapsDir, `${stem}.npy`);
      await writeNpyFloat32(mapPath, map, [size, size]);
      let overlay: string | null = null;
      if (!args.flags.has('no-overlays')) {
        overlay = join(overlaysDir, `${stem}.png`);
        await writeHeatmapOverlay(overlay, await decodeRgb(path), map, size, set.range);
      }
      rows.push({ path, score: set.scores[n], rawScore: set.rawScores[n], map: mapPath, overlay });
    }
    progress.update('write maps and overlays', loaded.paths.length, loaded.paths.length);
    await writeFile(join(outDir, 'scores.json'), `${JSON.stringify(rows, null, 2)}\n`);
    const header = 'path,score,raw_score,map,overlay';
    const lines = rows.map((r) => [r.path, r.score, r.rawScore, r.map, r.overlay].map(csvField).join(','));
    await writeFile(join(outDir, 'scores.csv'), `${[header, ...lines].join('\n')}\n`);

    const note = set.forcedSmallBatch ? ' [FORCED: fewer than 5 images, scores unreliable]' : '';
    for (const r of rows) process.stdout.write(`${r.score.toFixed(4)}  ${r.path}${note}\n`);
    progress.note(
      `Scored ${rows.length} images (${loaded.problems.length} skipped) with ${choice.id} at ${size}px in ` +
        `${(set.encodeSeconds + set.scoreSeconds).toFixed(1)} s; results in ${outDir}/scores.json. ` +
        'Scores are relative to this set (1 = most anomalous here), not absolute.',
    );
  } finally {
    await model.close();
  }
}
