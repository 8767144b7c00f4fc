// Options and checks shared by `score` and `eval`.

import type { VariantDtype } from '../encoders/manifest.ts';
import { MIN_IMAGES } from '../engine/config.ts';
import { MuscError } from '../engine/errors.ts';
import type { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { MAX_TOLERANCE, MIN_TOLERANCE } from '../engine/alignment.ts';
import { choiceOption, intOption, numberOption, UsageError, type ParsedArgs } from './args.ts';
import { defaultModelId } from '../platform/node/models.ts';
import type { OpenModel } from './model.ts';
import { MSM_BACKENDS, type MsmBackend } from './msm.ts';
import type { ProgressReporter } from './progress.ts';

/** Default results folder, relative to the working directory (git-ignored in this repo). */
export const DEFAULT_OUT_DIR = 'out';

export const MODEL_OPTIONS = [
  'model',
  'variant',
  'size',
  'grid',
  'msm',
  'encoder',
  'aligned',
  'candidates',
  'out',
] as const;
const VARIANTS: readonly VariantDtype[] = ['fp32', 'fp16', 'int8-weight', 'int8-dynamic'];
export const ENCODER_BACKENDS = ['node', 'webgpu'] as const;
export type EncoderBackend = (typeof ENCODER_BACKENDS)[number];

export interface ModelChoice {
  id: string;
  dtype: VariantDtype;
  size?: number;
  grid?: number;
  msm: MsmBackend;
  encoder: EncoderBackend;
  /** --aligned: the aligned-parts shortcut's tolerance (engine/alignment.ts), null for exact scoring */
  aligned: number | null;
  /** --candidates: the candidate-images shortcut's K (engine/candidates.ts), null for every other image */
  candidates: number | null;
}

export function modelChoice(args: ParsedArgs): ModelChoice {
  const id = args.values.get('model') ?? defaultModelId();
  if (!id) throw new UsageError('no model is installed (run `npm install`), or name one with --model <id>');
  return {
    id,
    dtype: choiceOption(args, 'variant', VARIANTS, 'fp32'),
    size: intOption(args, 'size', undefined, 16, 2048),
    grid: intOption(args, 'grid', undefined, 1, 256),
    msm: choiceOption(args, 'msm', MSM_BACKENDS, 'cpu'),
    encoder: choiceOption(args, 'encoder', ENCODER_BACKENDS, 'node'),
    aligned: numberOption(args, 'aligned', MIN_TOLERANCE, MAX_TOLERANCE),
    candidates: intOption(args, 'candidates', undefined, 1) ?? null,
  };
}

/** The input size to run at: --size, else the manifest's. */
export function inputSize(model: OpenModel, choice: ModelChoice): number {
  return choice.size ?? model.manifest.input.size;
}

export function reportProblems(problems: readonly ImageFileError[], progress: ProgressReporter): void {
  for (const p of problems) progress.note(`skipped ${p.message}`);
}

/** Refuses a set too small for mutual scoring before any time is spent encoding it. */
export function requireEnoughImages(usable: number, skipped: number, force: boolean): void {
  if (usable === 0)
    throw new MuscError(
      'too-few-images',
      `No usable images${skipped ? ` (${skipped} file(s) skipped, see above)` : ''}.`,
    );
  if (usable < MIN_IMAGES && !force) {
    throw new MuscError(
      'too-few-images',
      `Mutual scoring needs at least ${MIN_IMAGES} images of the same product; got ${usable} usable${skipped ? ` (${skipped} skipped)` : ''}. ` +
        'Add more images, or pass --force-small-batch to score anyway (unreliable, marked as forced).',
    );
  }
}
