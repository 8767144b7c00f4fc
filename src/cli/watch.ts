// `muscope watch DIR [--reference GOOD_DIR] [--window W]`: scores every image file that lands in
// DIR (a line camera writing files), one at a time as it arrives, and prints one JSON line per
// image on stdout. With references each image is scored against them alone, so its verdict
// depends on nothing that comes later. Without references it is scored against the last W images
// (MuSc's "reserved batch"); the first images wait until 5 have arrived. A verdict is printed
// once and never revised. A bad file is reported on stderr and skipped (and tried again if it
// changes); Ctrl-C finishes the image in hand and stops; a deleted folder stops with exit 1.

import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { squashResize } from '../engine/preprocess/index.ts';
import type { Finding, Judgement } from '../engine/session/judge.ts';
import { decodeRgb } from '../platform/node/decode.ts';
import { InputPathError, listImages } from '../platform/node/listImages.ts';
import { watchFolder } from '../platform/node/watchFolder.ts';
import { intOption, parseArgs, UsageError } from './args.ts';
import { DEFAULT_OUT_DIR, inputSize, MODEL_OPTIONS, modelChoice, reportProblems } from './common.ts';
import { openInspection, type Inspection } from './inspection.ts';
import { loadSquashed } from './loadImages.ts';
import { openModel } from './model.ts';
import { outputStem, ResultWriter } from './outputs.ts';
import { createProgress, type ProgressReporter } from './progress.ts';

export const WATCH_USAGE =
  'muscope watch <folder> [--reference GOOD_DIR] [--window W] [--settle-ms T] [--model <id>] [--variant fp32] [--size S] [--grid G] [--msm cpu|webgpu] [--encoder node|webgpu] [--aligned F] [--candidates K] [--out DIR] [--no-overlays]';

const DEFAULT_WINDOW = 50;
const DEFAULT_SETTLE_MS = 1000;

/** One line of stdout per image. */
export interface WatchLine {
  file: string;
  score: number;
  scale: Judgement['scale'];
  threshold: number | null;
  verdict: Finding['verdict'];
  /** from the file being noticed to its verdict */
  ms: number;
  map: string;
  overlay: string | null;
}

interface Waiting {
  file: string;
  since: number;
}

export async function watchCommand(argv: string[], progress: ProgressReporter): Promise<void> {
  const args = parseArgs(argv, {
    flags: ['no-overlays'],
    values: [...MODEL_OPTIONS, 'reference', 'window', 'settle-ms'],
  });
  const [dir, ...extra] = args.positional;
  if (!dir || extra.length > 0) throw new UsageError(`watch takes one folder. Usage: ${WATCH_USAGE}`);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new InputPathError(`${dir}: no such folder`);
  const window = intOption(args, 'window', DEFAULT_WINDOW, 5) as number;
  const settleMs = intOption(args, 'settle-ms', DEFAULT_SETTLE_MS, 50, 60_000) as number;
  const referenceDir = args.values.get('reference');
  const choice = modelChoice(args);
  const outDir = args.values.get('out') ?? DEFAULT_OUT_DIR;

  const model = await openModel(choice.id, choice.dtype, choice.msm, choice.encoder);
  try {
    const size = inputSize(model, choice);
    const filter = model.manifest.input.resize;
    // Per-image stages are too quick for progress lines; notes and errors still reach stderr.
    const quiet = createProgress(process.stderr, true);
    const inspection = openInspection(model, {
      size,
      grid: choice.grid,
      aligned: choice.aligned,
      candidates: choice.candidates,
      policy: 'references',
      window,
      forceSmallBatch: false,
      progress: quiet,
    });
    if (referenceDir) await addReferences(inspection, referenceDir, size, filter, progress);
    const writer = new ResultWriter(outDir, size, !args.flags.has('no-overlays'));
    await writer.prepare();

    const done = new Set<string>();
    const waiting: Waiting[] = [];
    let count = 0;
    let skipped = 0;
    let queue = Promise.resolve();

    const emit = async (item: Waiting, finding: Finding, judgement: Judgement) => {
      const map = inspection.map(item.file);
      if (!map || finding.score === null) return;
      let [min, max] = [Infinity, -Infinity];
      for (const v of map) [min, max] = [Math.min(min, v), Math.max(max, v)];
      // Against references, a map is coloured up to the threshold at least, so a good part stays cold.
      if (judgement.scale === 'distance' && judgement.threshold !== null) max = Math.max(max, judgement.threshold);
      const written = await writer.writeImage(item.file, outputStem(item.file, count++, resolve(dir)), map, {
        min,
        max,
      });
      const line: WatchLine = {
        file: item.file,
        score: finding.score,
        scale: judgement.scale,
        threshold: judgement.threshold,
        verdict: finding.verdict,
        ms: Math.round(performance.now() - item.since),
        ...written,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    };

    const handle = async (file: string, since: number) => {
      if (done.has(file)) return;
      let image;
      try {
        image = squashResize(await decodeRgb(file), size, filter);
      } catch (err) {
        if (!(err instanceof ImageFileError)) throw err;
        skipped += 1;
        progress.note(`skipped ${err.message}`);
        return;
      }
      done.add(file);
      waiting.push({ file, since });
      await inspection.add([{ id: file, role: 'query', image }], file);
      const judgement = inspection.judge();
      const byId = new Map(judgement.findings.map((f) => [f.id, f]));
      // Every image waiting for a score that now has one gets its verdict, once.
      for (const item of waiting.splice(0)) {
        const finding = byId.get(item.file);
        if (finding && finding.score !== null) await emit(item, finding, judgement);
        else waiting.push(item);
      }
    };

    await new Promise<void>((resolveStop, rejectStop) => {
      let stopping = false;
      const stop = (err?: Error) => {
        if (stopping) return;
        stopping = true;
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        void watching
          .then((w) => w.close())
          .then(() => queue)
          .then(() => (err ? rejectStop(err) : resolveStop()), rejectStop);
      };
      const interrupt = () => stop();
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
      const watching = watchFolder(
        dir,
        {
          onFile: (file) => {
            const since = performance.now();
            if (!stopping)
              queue = queue
                .then(() => handle(file, since))
                .catch((err: unknown) => stop(err instanceof Error ? err : new Error(String(err))));
          },
          onGone: () => stop(new InputPathError(`${dir}: the folder was deleted or moved; stopped watching`)),
          onError: (err) => stop(err),
        },
        { settleMs, ignore: [outDir] },
      );
      watching.then(
        () =>
          progress.note(
            `watching ${dir} (${referenceDir ? 'against the known-good references' : `mutually, within the last ${window} images`}); Ctrl-C stops`,
          ),
        (err: unknown) => stop(err instanceof Error ? err : new Error(String(err))),
      );
    });
    const pending = waiting.length ? `, ${waiting.length} still waiting for 5 images to compare` : '';
    progress.note(`stopped: ${done.size - waiting.length} images scored, ${skipped} skipped${pending}`);
  } finally {
    await model.close();
  }
}

async function addReferences(
  inspection: Inspection,
  dir: string,
  size: number,
  filter: Parameters<typeof loadSquashed>[2],
  progress: ProgressReporter,
): Promise<void> {
  const files = await listImages([dir]);
  const loaded = await loadSquashed(files, size, filter, progress);
  reportProblems(loaded.problems, progress);
  if (loaded.images.length === 0) throw new InputPathError(`${dir}: no usable known-good reference images`);
  await inspection.add(
    loaded.images.map((image, n) => ({ id: `reference:${loaded.paths[n]}`, role: 'reference' as const, image })),
    'references',
  );
}
