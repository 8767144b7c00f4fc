// End-to-end speed in Node on the MVTec bottle set: the `muscope eval` path (scoreCategory: decode,
// encode, mutual scoring, RsCIN) plus every S×S map, per installed real model, fp32, run once as a
// user runs it. The metrics are left out; opening the model is timed apart from the run.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VariantDtype } from '../../src/encoders/manifest.ts';
import { openModel } from '../../src/cli/model.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { scoreCategory } from '../../src/cli/scoreCategory.ts';
import { InputPathError } from '../../src/platform/node/listImages.ts';
import { readMvtecCategory, type MvtecCategory } from '../../src/platform/node/mvtec.ts';
import { peakRssMb, type BenchRecord } from './cases.ts';
import { installedRealModels } from './realModels.ts';

export const DEFAULT_BOTTLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/mvtec_ad/bottle');
const CATEGORY = 'bottle';
const VARIANT: VariantDtype = 'fp32';
/** openModel scores MSM with onnxruntime-node's MatMul kernel */
const BACKEND = 'node-ort';

export interface BottleRun {
  model: string;
  size: number;
  grid: number;
  images: number;
  /** milliseconds per stage; `total` runs from the first decode to the last map */
  ms: { open: number; decode: number; encode: number; mutualScoring: number; maps: number; total: number };
  peakRssMb: number;
}

export function bottleRecord({ model, size, grid, images, ms, peakRssMb }: BottleRun): BenchRecord {
  return {
    case: 'bottle',
    backend: BACKEND,
    model,
    variant: VARIANT,
    size,
    grid,
    images,
    ms: Math.round(ms.total),
    ms_per_image: +(ms.total / images).toFixed(1),
    open_ms: Math.round(ms.open),
    decode_ms: Math.round(ms.decode),
    encode_ms: Math.round(ms.encode),
    mutual_scoring_ms: Math.round(ms.mutualScoring),
    maps_ms: Math.round(ms.maps),
    peak_rss_mb: peakRssMb,
  };
}

const bottleSkipped = (reason: string): BenchRecord => ({ case: 'bottle', backend: BACKEND, skipped: reason });

/** A category of `dataset` (default bottle), or why it cannot be read (a case then emits a skipped record). */
export function readCategory(dataset: string, category = CATEGORY): MvtecCategory | { skipped: string } {
  try {
    return readMvtecCategory(dataset, category);
  } catch (err) {
    if (!(err instanceof InputPathError)) throw err;
    return { skipped: err.message };
  }
}

export async function runBottleCase(emit: (r: BenchRecord) => void, dataset = DEFAULT_BOTTLE_DIR): Promise<void> {
  const category = readCategory(dataset);
  if ('skipped' in category) return emit(bottleSkipped(category.skipped));
  const models = installedRealModels();
  if (models.length === 0) {
    emit(bottleSkipped('no real model installed (run `npm install`)'));
    return;
  }
  const progress = createProgress();
  for (const manifest of models) {
    let t = performance.now();
    const model = await openModel(manifest.id, VARIANT);
    const open = performance.now() - t;
    try {
      const size = manifest.input.size;
      t = performance.now();
      const { items, set, decodeSeconds } = await scoreCategory(model, category, {
        size,
        maxBatch: Number.MAX_SAFE_INTEGER,
        progress,
      });
      // eval upsamples every map for its pixel metrics; so does the bench, into one reused buffer as there.
      const mapsStarted = performance.now();
      const map = new Float64Array(size * size);
      for (let n = 0; n < items.length; n++) set.map(n, map);
      const end = performance.now();
      progress.done();
      emit(
        bottleRecord({
          model: manifest.id,
          size,
          grid: set.grid,
          images: items.length,
          ms: {
            open,
            decode: 1000 * decodeSeconds,
            encode: 1000 * set.encodeSeconds,
            mutualScoring: 1000 * set.scoreSeconds,
            maps: end - mapsStarted,
            total: end - t,
          },
          peakRssMb: peakRssMb(),
        }),
      );
    } finally {
      await model.close();
    }
  }
}
