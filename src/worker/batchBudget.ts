// How much memory a batch takes in the page, and the most the page lets one take: a batch that
// would not fit is refused in plain words before any image is encoded, instead of growing until
// the tab crashes (README "Growth with the batch and the grid"). What grows with the batch:
// - each image's encoder taps, cached in this worker (P·ΣD floats);
// - each image's LNAMD features in the scoring session, one copy per kernel-pool thread on WASM
//   (R·P·ΣD floats each; on WebGPU they live in GPU memory, whose size a page cannot read);
// - each image's nearest-patch distances to each image that scores it (engine session/budget.ts):
//   N − 1 scorers in mutual scoring, K with candidate images, the references against references.
import type { ModelManifest } from '../encoders/manifest.ts';
import { featureGrid } from '../encoders/taps.ts';
import { MuscError } from '../engine/errors.ts';
import { mutualSessionBytes } from '../engine/session/budget.ts';
import type { ScoreSettings } from './protocol.ts';

/** Half of the device's memory as the browser reports it (navigator.deviceMemory, rounded down to a power of 2), or 4 GB when it does not say. */
export function pageBudgetBytes(deviceMemoryGb: number | undefined): number {
  return ((deviceMemoryGb ?? 8) / 2) * 1e9;
}

export interface BatchShape {
  images: number;
  /** images marked as known-good references */
  references: number;
  /** copies of the session's features kept in this tab's memory: the kernel pool's threads on WASM, 0 on WebGPU */
  featureCopies: number;
}

/** Bytes a batch of `shape` holds in the page with `settings` on `manifest` (see the header). */
export function pageBatchBytes(manifest: ModelManifest, settings: ScoreSettings, shape: BatchShape): number {
  const patches = featureGrid(manifest, settings.inputSize, settings.grid ?? undefined) ** 2;
  const chosen = manifest.taps.filter((t) => settings.taps.includes(t.name));
  const degrees = settings.rList.length;
  const sets = degrees * chosen.length;
  const featureFloats = patches * degrees * chosen.reduce((sum, t) => sum + t.dim, 0);
  const tapFloats = patches * manifest.taps.reduce((sum, t) => sum + t.dim, 0);
  const { images, references } = shape;
  // Against references a query is scored by every reference, a reference by the others.
  const distances =
    references > 0
      ? (images * references - references) * sets * patches * 4
      : mutualSessionBytes({ images, sets, patches, featureFloats: 0, candidates: settings.candidates });
  return distances + images * (tapFloats + shape.featureCopies * featureFloats) * 4;
}

/** The largest number of images, references as in `shape`, that fits `budget`; at least 0. */
export function largestBatch(
  manifest: ModelManifest,
  settings: ScoreSettings,
  shape: BatchShape,
  budget: number,
): number {
  const fits = (images: number) => pageBatchBytes(manifest, settings, { ...shape, images }) <= budget;
  let [low, high] = [0, Math.max(1, shape.images)];
  while (fits(high)) [low, high] = [high, high * 2];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** Refuses a batch the page's memory budget cannot hold, saying how many images would fit and what else helps. */
export function checkBatchFits(
  manifest: ModelManifest,
  settings: ScoreSettings,
  shape: BatchShape,
  deviceMemoryGb: number | undefined,
): void {
  const budget = pageBudgetBytes(deviceMemoryGb);
  const needed = pageBatchBytes(manifest, settings, shape);
  if (needed <= budget) return;
  const fitting = largestBatch(manifest, settings, shape, budget);
  const device =
    deviceMemoryGb === undefined
      ? 'this browser does not report the device’s memory, so MuScope assumes 8 GB'
      : `half of the ${deviceMemoryGb} GB this browser reports for the device`;
  const helps = [
    `score at most ${fitting} images at a time`,
    ...(shape.references === 0 && settings.candidates === null
      ? ['turn on Candidate images in Settings (each image is then scored by K others, not by all)']
      : []),
    ...(shape.references === 0 ? ['mark a few known-good parts (each image is then scored by those alone)'] : []),
    'or pick a smaller input size or fewer layers',
  ];
  throw new MuscError(
    'batch-too-large',
    `A batch of ${shape.images} images would need about ${gb(needed)} of memory in this page with these settings, ` +
      `more than the ${gb(budget)} MuScope lets one batch take (${device}). To score it: ${helps.join('; ')}.`,
  );
}
