// `npm run muscope -- <command> …` (also `bin/muscope.mjs`). Results go to stdout and files,
// progress to stderr. A user error ends with one line saying what is wrong and a non-zero exit;
// only an unexpected failure shows more (set MUSCOPE_DEBUG=1 for its stack).

import { EncoderError } from '../encoders/errors.ts';
import { MuscError } from '../engine/errors.ts';
import { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { InputPathError } from '../platform/node/listImages.ts';
import { UsageError } from './args.ts';
import { EVAL_USAGE, evalCommand } from './evaluate.ts';
import { GpuUnavailableError } from './msm.ts';
import { createProgress } from './progress.ts';
import { SCORE_USAGE, scoreCommand } from './score.ts';
import { WATCH_USAGE, watchCommand } from './watch.ts';

const USAGE = `usage:
  ${SCORE_USAGE}
      Scores each image against the others (at least 5 images of one product), or with
      --reference against known-good images alone (--with-batch: the others score it too), and
      writes DIR/scores.json, DIR/scores.csv, DIR/maps/*.npy (S×S float32) and DIR/overlays/*.png
      with each score's scale, the threshold and the verdict.
  ${WATCH_USAGE}
      Keeps running: scores each image file that lands in the folder as it arrives, against the
      references or, without them, against the last W images (default 50); prints one JSON line
      per image and writes its map and overlay. Ctrl-C stops.
  ${EVAL_USAGE}
      Scores a category in the MVTec layout (<category>/test/<good|defect>/*,
      <category>/ground_truth/<defect>/*_mask.png) and reports image and pixel metrics as JSON.
options:
  --model ID               installed model (default: the best installed one, as the app picks)
  --variant D              model variant: fp32 (default), fp16, int8-weight, int8-dynamic
  --size S                 input side (default: the model's); the grid follows it (S/16 for CNN trunks)
  --grid G                 CNN models only: side of the feature grid (default S/16)
  --msm B                  where mutual scoring (LNAMD + MSM) runs: cpu (default, onnxruntime MatMul),
                           webgpu or webgpu-f16 (f32 / f16 feature storage) through Dawn's first adapter
  --encoder E              where the encoder runs: node (default, onnxruntime-node; fp16 files compute
                           in fp32) or webgpu (onnxruntime-web's WebGPU backend through Dawn, as the app)
  --max-batch M            score in subsets of at most M images (whole set shuffled with seed 42,
                           dealt round-robin, no labels used); RsCIN still runs over all images
  --out DIR                output folder (default ./out)
  --force-small-batch      score 2-4 images anyway (unreliable; marked FORCED)
  --no-overlays            score: skip the PNG overlays
  --mask-threshold int|gt0 eval: int = only pixels still 255 after resizing (MVTec, default);
                           gt0 = any pixel > 0 (VisA, soft masks such as Magnetic Tile)
  --exclude-empty-masks    eval: leave images whose mask is empty out of the pixel metrics`;

const EXIT_USER_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const progress = createProgress();
  try {
    if (command === 'score') await scoreCommand(rest, progress);
    else if (command === 'eval') await evalCommand(rest, progress);
    else if (command === 'watch') await watchCommand(rest, progress);
    else if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT_USAGE : 0;
    } else throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    return 0;
  } catch (err) {
    progress.done();
    if (err instanceof UsageError) {
      process.stderr.write(`muscope: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (
      err instanceof MuscError ||
      err instanceof EncoderError ||
      err instanceof ImageFileError ||
      err instanceof InputPathError ||
      err instanceof GpuUnavailableError
    ) {
      process.stderr.write(`muscope: ${err.message}\n`);
      return EXIT_USER_ERROR;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`muscope: unexpected failure: ${message.split('\n')[0]}\n`);
    if (process.env.MUSCOPE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT_INTERNAL;
  }
}

process.exitCode = await main(process.argv.slice(2));
