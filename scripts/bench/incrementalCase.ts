// What one more image costs an incremental scoring session (src/engine/session) next to scoring
// the whole set again: on the MVTec bottle test set (83 images), default model, fp32, onnxruntime
// MatMul feature slots, pure mutual scoring (no references). From scratch is encode all + add all to a
// fresh session + judge; one more is encode it + add it + judge. Images are decoded and
// squash-resized beforehand (decode_ms), as watch does before it hands an image on, so both sides
// time only what the session changes. The goal: one more image within 1/20 of from scratch.
// The batch pipeline's from-scratch time on the same features is reported beside it, and the
// goal is judged against the faster of the two.

import type { VariantDtype } from '../../src/encoders/manifest.ts';
import { encodeImages } from '../../src/encoders/encode.ts';
import { openModel } from '../../src/cli/model.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { loadSquashed } from '../../src/cli/loadImages.ts';
import type { LayerSlotsFactory } from '../../src/engine/layerSlots.ts';
import type { RgbImage } from '../../src/engine/preprocess/index.ts';
import { runMusc } from '../../src/engine/pipeline.ts';
import { judge, type Judgement } from '../../src/engine/session/judge.ts';
import { ScoringSession, type SessionImage, type SessionOptions } from '../../src/engine/session/session.ts';
import { DEFAULT_CONFIG, type MuscInput } from '../../src/engine/types.ts';
import { defaultModelId } from '../../src/platform/node/models.ts';
import { DEFAULT_BOTTLE_DIR, readCategory } from './bottleCase.ts';
import { peakRssMb, type BenchRecord } from './cases.ts';

const VARIANT: VariantDtype = 'fp32';
/** openModel's feature slots run onnxruntime-node's MatMul kernel */
const BACKEND = 'node-ort';
/** One more image should cost at most this share of scoring the whole set again. */
const GOAL_RATIO = 1 / 20;

/** Milliseconds of one change: encoding, the session's add (LNAMD, new pairs, rescoring), judge. */
interface Timed {
  encode: number;
  add: number;
  /** of `add`: computing the new pairs' nearest-patch distances in the feature slots */
  rows: number;
  judge: number;
  /** unordered image pairs the add computed (its last 'msm' progress total) */
  pairs: number;
  /** the encoded images */
  input: MuscInput;
}

const total = (t: Timed): number => t.encode + t.add + t.judge;

/** `slots`, adding the time spent computing pairs to `spent.ms`: splits the add's pair work from its other work. */
function timedSlots(slots: LayerSlotsFactory, spent: { ms: number }): LayerSlotsFactory {
  return (grid, dim, degrees, bands) => {
    const inner = slots(grid, dim, degrees, bands);
    return {
      put: (slot, image) => inner.put(slot, image),
      async pairs(i, js) {
        const at = performance.now();
        const row = await inner.pairs(i, js);
        spent.ms += performance.now() - at;
        return row;
      },
    };
  };
}

/** A left-right mirror of `image`: the same kind of part, but pixels the session has not seen. */
function mirrored(image: RgbImage): RgbImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = 3 * (y * width + x);
      data.set(image.data.subarray(from, from + 3), 3 * (y * width + (width - 1 - x)));
    }
  }
  return { data, width, height, channels: 3 };
}

const skipped = (reason: string): BenchRecord => ({ case: 'incremental', backend: BACKEND, skipped: reason });

function requireScored(judgement: Judgement, images: number): void {
  const scored = judgement.findings.filter((f) => f.score !== null).length;
  if (scored !== images) throw new Error(`incremental: ${scored} of ${images} images scored after the add`);
}

export async function runIncrementalCase(emit: (r: BenchRecord) => void, dataset = DEFAULT_BOTTLE_DIR): Promise<void> {
  const category = readCategory(dataset);
  if ('skipped' in category) return emit(skipped(category.skipped));
  const id = defaultModelId();
  if (id === null) {
    emit(skipped('no model installed (run `npm install`)'));
    return;
  }
  const model = await openModel(id, VARIANT);
  try {
    const spent = { ms: 0 };
    const slots = timedSlots(model.slots, spent);
    const { manifest, runner } = model;
    const size = manifest.input.size;
    const progress = createProgress(process.stderr, true);

    let t = performance.now();
    const loaded = await loadSquashed(
      category.images.map((i) => i.path),
      size,
      manifest.input.resize,
      progress,
    );
    const decodeMs = performance.now() - t;
    if (loaded.problems.length > 0) throw new Error(`incremental: ${loaded.problems.map((p) => p.message).join('; ')}`);
    const images = loaded.images;
    // The 84th image: the first good bottle mirrored left-right, so a plausible new part whose
    // features match no image already in the session (a copy would pair with itself at distance 0).
    const extra = mirrored(images[category.images.findIndex((i) => !i.anomalous)]);

    // onnxruntime's first run of a session plans and allocates; a watch process has done that
    // long before its next image, so both measurements below start warm.
    await encodeImages(runner, manifest, [extra], { size });

    const session = new ScoringSession(
      { ...DEFAULT_CONFIG, imageSize: size, scorers: 'references' },
      manifest.taps.length,
      slots,
    );
    const change = async (added: readonly SessionImage[], pixels: readonly RgbImage[]): Promise<Timed> => {
      let pairs = 0;
      spent.ms = 0;
      const opts: SessionOptions = {
        onProgress: (p) => {
          if (p.stage === 'msm') pairs = p.total;
        },
      };
      let at = performance.now();
      const input = await encodeImages(runner, manifest, pixels, { size });
      const encode = performance.now() - at;
      at = performance.now();
      await session.add(added, input, opts);
      const add = performance.now() - at;
      at = performance.now();
      requireScored(judge(session.state(), DEFAULT_CONFIG.kList, false), session.size);
      return { encode, add, rows: spent.ms, judge: performance.now() - at, pairs, input };
    };

    t = performance.now();
    const scratch = await change(
      loaded.paths.map((path): SessionImage => ({ id: path, role: 'query' })),
      images,
    );
    process.stderr.write(
      `[incremental] from scratch: ${Math.round(performance.now() - t)} ms for ${images.length} images\n`,
    );
    const one = await change([{ id: 'mirrored', role: 'query' }], [extra]);
    // Removing the extra image computes nothing but the rescoring of every image it scored, the
    // part of the add that grows with the session and is not pair work.
    t = performance.now();
    await session.remove(['mirrored']);
    const rescoreMs = performance.now() - t;
    const peak = peakRssMb();
    // The batch path (`muscope score`: runMusc over the whole set, RsCIN included, as judge does)
    // on the same encoded images: the from-scratch time a user gets without a session. Run last,
    // so neither the timings nor the peak memory above include it.
    t = performance.now();
    await runMusc(scratch.input, { ...DEFAULT_CONFIG, imageSize: size }, model.msm);
    const batchMs = scratch.encode + performance.now() - t;
    const fromScratchMs = total(scratch);
    const addOneMs = total(one);
    const ratio = addOneMs / fromScratchMs;
    emit({
      case: 'incremental',
      backend: BACKEND,
      model: id,
      variant: VARIANT,
      images: images.length,
      grid: session.state().grid,
      from_scratch_ms: Math.round(fromScratchMs),
      add_one_ms: Math.round(addOneMs),
      ratio: +ratio.toFixed(4),
      // judged against the faster way to score the whole set, so a slow from-scratch cannot flatter it
      within_goal: addOneMs / Math.min(fromScratchMs, batchMs) <= GOAL_RATIO,
      pairs_added: one.pairs,
      // Where each side's time went: the encoder, the session's add (LNAMD of the new images,
      // their pairs' nearest-patch distances — rows_ms of it in the feature slots — and
      // rescoring every image whose scorers changed, about rescore_all_ms), then judge.
      scratch_encode_ms: Math.round(scratch.encode),
      scratch_add_ms: Math.round(scratch.add),
      scratch_rows_ms: Math.round(scratch.rows),
      scratch_judge_ms: +scratch.judge.toFixed(1),
      scratch_pairs: scratch.pairs,
      one_encode_ms: Math.round(one.encode),
      one_add_ms: Math.round(one.add),
      one_rows_ms: Math.round(one.rows),
      rescore_all_ms: Math.round(rescoreMs),
      one_judge_ms: +one.judge.toFixed(1),
      batch_from_scratch_ms: Math.round(batchMs),
      ratio_to_batch: +(addOneMs / batchMs).toFixed(4),
      decode_ms: Math.round(decodeMs),
      peak_rss_mb: peak,
    });
  } finally {
    await model.close();
  }
}
