// `muscope eval <dataset-root> [--category <name>] [--model <id>]`: scores a category in the MVTec
// layout as one unlabeled set and measures it against the ground truth (docs/method.md §9): image and
// pixel AUROC, AP, F1-max and AUPRO, at S×S.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMvtecCategory } from '../platform/node/mvtec.ts';
import { choiceOption, intOption, parseArgs, UsageError } from './args.ts';
import { DEFAULT_OUT_DIR, inputSize, MODEL_OPTIONS, modelChoice } from './common.ts';
import { openModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { measureCategory } from './measureCategory.ts';
import { scoreCategory } from './scoreCategory.ts';
import { SPLIT_SEED } from '../engine/subsets.ts';

export const EVAL_USAGE =
  'muscope eval <dataset-root> [--category <name>] [--model <id>] [--variant fp32] [--size S] [--grid G] [--msm cpu|webgpu|webgpu-f16] [--encoder node|webgpu] [--aligned F] [--candidates K] [--max-batch M] ' +
  '[--mask-threshold int|gt0] [--exclude-empty-masks] [--out DIR]';

/** Six decimals; an undefined metric (one class only) stays null in the report. */
const round = <T extends number | null>(v: T): T => (v === null ? v : Math.round(v * 1e6) / 1e6) as T;

export async function evalCommand(argv: string[], progress: ProgressReporter): Promise<void> {
  const started = performance.now();
  const args = parseArgs(argv, {
    flags: ['exclude-empty-masks'],
    values: [...MODEL_OPTIONS, 'category', 'max-batch', 'mask-threshold'],
  });
  if (args.positional.length !== 1) throw new UsageError(`give exactly one dataset folder. Usage: ${EVAL_USAGE}`);
  const choice = modelChoice(args);
  const maxBatch = intOption(args, 'max-batch', Number.MAX_SAFE_INTEGER, 5) as number;
  const rule = choiceOption(args, 'mask-threshold', ['int', 'gt0'] as const, 'int') === 'int' ? 'int-cast' : 'gt0';
  const category = readMvtecCategory(args.positional[0], args.values.get('category'));

  const model = await openModel(choice.id, choice.dtype, choice.msm, choice.encoder);
  try {
    const size = inputSize(model, choice);
    const { items, problems, set, decodeSeconds } = await scoreCategory(model, category, {
      size,
      grid: choice.grid,
      aligned: choice.aligned,
      candidates: choice.candidates,
      maxBatch,
      progress,
    });

    const t = performance.now();
    const { image, pixel } = await measureCategory(
      { items, set },
      { size, rule, excludeEmpty: args.flags.has('exclude-empty-masks'), progress },
    );
    const metricsSeconds = (performance.now() - t) / 1000;

    const report = {
      category: category.name,
      dir: category.dir,
      model: choice.id,
      variant: choice.dtype,
      size,
      grid: set.grid,
      aligned: choice.aligned,
      candidates: choice.candidates,
      images: items.length,
      anomalous: items.filter((i) => i.anomalous).length,
      skippedFiles: problems.map((p) => p.message),
      subsets: set.subsets,
      split:
        set.subsets > 1
          ? `${set.subsets} subsets of ≤ ${maxBatch}: all images shuffled with seed ${SPLIT_SEED} and dealt round-robin (no labels used); RsCIN over the whole set`
          : 'one set',
      maskThreshold: rule,
      masksLeftOutOfPixelMetrics: pixel.excluded,
      rscinWindows: set.rscinWindows,
      image: { auroc: round(image.auroc), f1Max: round(image.f1Max), ap: round(image.ap) },
      pixel: {
        auroc: round(pixel.metrics.auroc),
        f1Max: round(pixel.metrics.f1Max),
        ap: round(pixel.metrics.ap),
        aupro: round(pixel.metrics.aupro),
      },
      seconds: {
        decode: round(decodeSeconds),
        encode: round(set.encodeSeconds),
        mutualScoring: round(set.scoreSeconds),
        metrics: round(metricsSeconds),
        total: round((performance.now() - started) / 1000),
      },
    };
    const outDir = args.values.get('out') ?? DEFAULT_OUT_DIR;
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, `eval-${category.name}-${choice.id}-${size}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    progress.note(`Wrote ${file}`);
  } finally {
    await model.close();
  }
}
