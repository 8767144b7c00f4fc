// `muscope score <folder-or-files…> [--reference GOOD_DIR]`: scores every usable image and writes
// scores.json / scores.csv, one float32 .npy map and one PNG overlay per image. Without references
// every image is scored against the others (MuSc; scores relative to the set), in one session
// screened as the page screens a batch (near-duplicates, images not comparable), or unscreened
// in subsets when --max-batch splits the set (or whole, when a session's distances would not fit
// this machine). With references
// each image is scored against them alone (--with-batch adds the other images as scorers), on a
// fixed distance scale with a threshold calibrated from the references. --regions adds each image's
// regions above a label-free pixel threshold: regions.json and annotations.coco.json (findings.ts).

import { totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { MapRange } from '../platform/node/heatmap.ts';
import { listImages, InputPathError } from '../platform/node/listImages.ts';
import { SCALE_TEXT, type ScoreScale } from '../engine/session/judge.ts';
import { autoThreshold, THRESHOLD_RULE, verdictOf, type Verdict } from '../engine/verdict/batchThreshold.ts';
import { intOption, parseArgs, UsageError } from './args.ts';
import {
  DEFAULT_OUT_DIR,
  inputSize,
  MODEL_OPTIONS,
  modelChoice,
  reportProblems,
  requireEnoughImages,
} from './common.ts';
import { findingsFiles } from '../engine/findings/files.ts';
import { NO_IMAGE_FILES } from '../engine/preprocess/imageFiles.ts';
import { screeningText } from '../engine/screening/notes.ts';
import { mutualSessionBytes } from '../engine/session/budget.ts';
import { DEFAULT_CONFIG } from '../engine/types.ts';
import { featureGrid } from '../encoders/taps.ts';
import { openInspection } from './inspection.ts';
import { loadSquashed, type LoadedImages } from './loadImages.ts';
import { openModel, type OpenModel } from './model.ts';
import { commonFolder, outputStem, ResultWriter, type ScoreRow } from './outputs.ts';
import type { ProgressReporter } from './progress.ts';
import { scoreImages } from './scoring.ts';

export type { ScoreRow } from './outputs.ts';

export const SCORE_USAGE =
  'muscope score <folder-or-files…> [--reference GOOD_DIR [--with-batch]] [--model <id>] [--variant fp32] [--size S] [--grid G] [--msm cpu|webgpu|webgpu-f16] [--encoder node|webgpu] [--aligned F] [--candidates K] [--max-batch M] [--out DIR] [--regions] [--force-small-batch] [--no-overlays]';

/** Scores of the images that decoded, in their order, with what the writer needs. */
interface ScoredImages {
  scale: ScoreScale;
  threshold: number | null;
  rule: string;
  scores: ArrayLike<number>;
  rawScores: ArrayLike<number>;
  verdicts: ReadonlyArray<Verdict | null>;
  /** per image: near-duplicate or not comparable, in words (docs/method.md §19); null when neither or not screened */
  screening: ReadonlyArray<string | null>;
  /** the screening rule in words; null when the images were not screened (mutual scoring in subsets) */
  screeningRule: string | null;
  forced: boolean;
  map(n: number): Float32Array;
  grid: number;
  /** map maxima of the known-good references (each against the others) */
  referenceMaxima: number[];
}

interface Job {
  model: OpenModel;
  size: number;
  grid?: number;
  aligned: number | null;
  candidates: number | null;
  force: boolean;
  progress: ProgressReporter;
}

/** Mutual scoring in subsets of at most maxBatch images (engine/subsets.ts): not screened, since no subset sees the whole set. */
async function scoreInSubsets(job: Job, loaded: LoadedImages, maxBatch: number): Promise<ScoredImages> {
  const { size } = job;
  requireEnoughImages(loaded.images.length, loaded.problems.length, job.force);
  const set = await scoreImages(job.model, loaded.images, {
    size,
    grid: job.grid,
    aligned: job.aligned,
    candidates: job.candidates,
    maxBatch,
    forceSmallBatch: job.force,
    progress: job.progress,
  });
  const threshold = autoThreshold(set.scores).value;
  return {
    scale: 'batch-relative',
    threshold,
    rule: THRESHOLD_RULE,
    scores: set.scores,
    rawScores: set.rawScores,
    verdicts: Array.from(set.scores, (s) => verdictOf(s, threshold)),
    screening: loaded.paths.map(() => null),
    screeningRule: null,
    forced: set.forcedSmallBatch,
    map: (n) => set.map(n, new Float32Array(size * size)),
    grid: set.grid,
    referenceMaxima: [],
  };
}

/**
 * One scoring session, as the page scores a batch: screened for near-duplicates and images that
 * are not comparable (docs/method.md §19). Without references every image scores every other
 * (MuSc); with them each image is scored against the references alone, or with the batch too.
 */
async function scoreInSession(
  job: Job,
  loaded: LoadedImages,
  references: LoadedImages | null,
  withBatch: boolean,
): Promise<ScoredImages> {
  if (references?.images.length === 0)
    throw new InputPathError('none of the reference images could be used (see above)');
  if (loaded.images.length === 0) throw new InputPathError('no usable images to score (see above)');
  if (!references) requireEnoughImages(loaded.images.length, loaded.problems.length, job.force);
  const inspection = openInspection(job.model, {
    size: job.size,
    grid: job.grid,
    aligned: job.aligned,
    candidates: job.candidates,
    policy: withBatch ? 'all' : 'references',
    forceSmallBatch: job.force,
    progress: job.progress,
  });
  const refIds = references ? references.paths.map((p) => `reference:${p}`) : [];
  if (references)
    await inspection.add(
      references.images.map((image, n) => ({ id: refIds[n], role: 'reference', image })),
      'references',
    );
  await inspection.add(
    loaded.images.map((image, n) => ({ id: loaded.paths[n], role: 'query', image })),
    'images',
  );
  const judgement = inspection.judge();
  const state = inspection.state();
  const byPath = new Map(judgement.findings.map((f) => [f.id, f]));
  const rawByPath = new Map(state.images.map((i) => [i.id, i.rawScore]));
  const findings = loaded.paths.map((p) => byPath.get(p));
  const maps = loaded.paths.map((p) => inspection.map(p));
  if (findings.some((f) => f?.score === null || f?.score === undefined) || maps.some((m) => m === null))
    throw new Error('internal: an image in the session has no score');
  return {
    scale: judgement.scale,
    threshold: judgement.threshold,
    rule: judgement.rule,
    scores: findings.map((f) => f?.score ?? NaN),
    rawScores: loaded.paths.map((p) => rawByPath.get(p) ?? NaN),
    verdicts: findings.map((f) => f?.verdict ?? null),
    screening: findings.map((f) => (f ? screeningText(f.screening, (id) => id.replace(/^reference:/, '')) : null)),
    screeningRule: judgement.screeningRule,
    forced: state.forcedSmallBatch,
    map: (n) => maps[n] as Float32Array,
    grid: inspection.grid,
    referenceMaxima: refIds.flatMap((id) => {
      const map = inspection.map(id);
      return map ? [map.reduce((a, b) => Math.max(a, b), -Infinity)] : [];
    }),
  };
}

/** Whether a session for the set fits a quarter of this machine's memory (engine session/budget.ts); says so when not. */
function sessionFits(
  model: OpenModel,
  size: number,
  grid: number | undefined,
  candidates: number | null,
  loaded: LoadedImages,
  progress: ProgressReporter,
): boolean {
  const { manifest } = model;
  const patches = featureGrid(manifest, size, grid) ** 2;
  const degrees = DEFAULT_CONFIG.rList.length;
  const bytes = mutualSessionBytes({
    images: loaded.images.length,
    candidates,
    sets: degrees * manifest.taps.length,
    patches,
    featureFloats: patches * degrees * manifest.taps.reduce((sum, tap) => sum + tap.dim, 0),
  });
  if (bytes <= totalmem() / 4) return true;
  progress.note(
    `note: scored whole, without screening for near-duplicates: a session for ${loaded.images.length} images would hold ${(bytes / 1e9).toFixed(1)} GB, more than a quarter of this machine's memory.`,
  );
  return false;
}

/** Smallest and largest value over every map, so overlays share one colour scale. */
function mapRange(scored: ScoredImages, count: number): MapRange {
  const range = { min: Infinity, max: -Infinity };
  for (let n = 0; n < count; n++) {
    for (const v of scored.map(n)) {
      if (v < range.min) range.min = v;
      if (v > range.max) range.max = v;
    }
  }
  return range;
}

export async function scoreCommand(argv: string[], progress: ProgressReporter): Promise<void> {
  const args = parseArgs(argv, {
    flags: ['force-small-batch', 'no-overlays', 'with-batch', 'regions'],
    values: [...MODEL_OPTIONS, 'max-batch', 'reference'],
  });
  if (args.positional.length === 0) throw new UsageError(`nothing to score. Usage: ${SCORE_USAGE}`);
  const referenceDir = args.values.get('reference');
  if (args.flags.has('with-batch') && !referenceDir)
    throw new UsageError(
      '--with-batch adds the other images as scorers next to the references, so it needs --reference',
    );
  if (referenceDir && args.values.has('max-batch'))
    throw new UsageError(
      '--max-batch splits mutual scoring into subsets; with --reference every image is scored against the references alone',
    );
  const choice = modelChoice(args);
  if (referenceDir && choice.candidates !== null)
    throw new UsageError(
      '--candidates picks each image’s scorers among the batch; with --reference every image is scored against the references alone',
    );
  const force = args.flags.has('force-small-batch');
  const maxBatch = intOption(args, 'max-batch', Number.MAX_SAFE_INTEGER, 5) as number;
  const outDir = args.values.get('out') ?? DEFAULT_OUT_DIR;

  const referenceFiles = referenceDir ? await listImages([referenceDir]) : [];
  if (referenceDir && referenceFiles.length === 0) throw new InputPathError(`${NO_IMAGE_FILES} in ${referenceDir}`);
  const asReference = new Set(referenceFiles.map((f) => resolve(f)));
  const files = (await listImages(args.positional)).filter((f) => !asReference.has(resolve(f)));
  if (files.length === 0)
    throw new InputPathError(
      `${NO_IMAGE_FILES} in ${args.positional.join(', ')}${referenceDir ? ' besides the references' : ''}`,
    );
  const model = await openModel(choice.id, choice.dtype, choice.msm, choice.encoder);
  try {
    const size = inputSize(model, choice);
    const job: Job = {
      model,
      size,
      grid: choice.grid,
      aligned: choice.aligned,
      candidates: choice.candidates,
      force,
      progress,
    };
    const references = referenceDir
      ? await loadSquashed(referenceFiles, size, model.manifest.input.resize, progress)
      : null;
    if (references) reportProblems(references.problems, progress);
    const loaded = await loadSquashed(files, size, model.manifest.input.resize, progress);
    reportProblems(loaded.problems, progress);
    const started = performance.now();
    const scored =
      references ||
      (loaded.images.length <= maxBatch && sessionFits(model, size, choice.grid, choice.candidates, loaded, progress))
        ? await scoreInSession(job, loaded, references, args.flags.has('with-batch'))
        : await scoreInSubsets(job, loaded, Math.min(maxBatch, loaded.images.length));
    const seconds = (performance.now() - started) / 1000;
    loaded.images.length = 0; // the squashed copies are not needed for writing

    const writer = new ResultWriter(outDir, size, !args.flags.has('no-overlays'));
    await writer.prepare();
    const base = commonFolder(loaded.paths);
    const range = mapRange(scored, loaded.paths.length);
    const rows: ScoreRow[] = [];
    for (const [n, path] of loaded.paths.entries()) {
      progress.update('write maps and overlays', n, loaded.paths.length);
      const written = await writer.writeImage(path, outputStem(path, n, base), scored.map(n), range);
      rows.push({
        path,
        score: scored.scores[n],
        scale: scored.scale,
        threshold: scored.threshold,
        verdict: scored.verdicts[n],
        rawScore: scored.rawScores[n],
        screening: scored.screening[n],
        ...written,
      });
    }
    progress.update('write maps and overlays', loaded.paths.length, loaded.paths.length);
    await writer.writeTables(rows);
    if (args.flags.has('regions')) {
      progress.update('regions', 0, 1);
      const { regions, coco } = findingsFiles({ ...loaded, ...scored, size });
      await writer.writeFindings(regions, coco);
      progress.update('regions', 1, 1);
    }

    const note = scored.forced ? ' [FORCED: fewer than 5 images, scores unreliable]' : '';
    for (const r of rows)
      process.stdout.write(
        `${r.score.toFixed(4)}  ${r.verdict ?? 'no-verdict'}  ${r.path}${r.screening ? `  (${r.screening})` : ''}${note}\n`,
      );
    const against = references ? ` against ${references.images.length} known-good references` : '';
    progress.note(
      `Scored ${rows.length} images${against} (${loaded.problems.length} skipped) with ${choice.id} at ${size}px in ${seconds.toFixed(1)} s; results in ${outDir}/scores.json${args.flags.has('regions') ? ', regions.json and annotations.coco.json' : ''}. ` +
        `Scores are ${SCALE_TEXT[scored.scale]}. Verdicts: ${scored.rule}` +
        (scored.screeningRule ? ` Screening: ${scored.screeningRule}` : ''),
    );
  } finally {
    await model.close();
  }
}
