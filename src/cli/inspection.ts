// The CLI's incremental inspection: images are encoded as they come and added to a scoring
// session (engine/session), against known-good references or mutually within a window of recent
// images. Shared by `score` (one batch, or against references) and `watch`.

import { encodeImages } from '../encoders/encode.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';
import { judge, type Judgement } from '../engine/session/judge.ts';
import type { ImageRole, ScorerPolicy } from '../engine/session/scorers.ts';
import { ScoringSession, type SessionState } from '../engine/session/session.ts';
import { isGrayscale } from '../engine/screening/colour.ts';
import { DEFAULT_CONFIG } from '../engine/types.ts';
import { upsampleMap } from '../engine/upsample.ts';
import { announceModel, type OpenModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';

export interface InspectionOptions {
  size: number;
  grid?: number;
  /** the aligned-parts shortcut's tolerance, null or absent for exact scoring */
  aligned?: number | null;
  /** the candidate-images shortcut's K, null or absent for exact scoring */
  candidates?: number | null;
  policy: ScorerPolicy;
  /** queries kept as scorers (the most recent ones); references always stay */
  window?: number;
  forceSmallBatch: boolean;
  progress: ProgressReporter;
}

export interface InspectionItem {
  id: string;
  role: ImageRole;
  image: RgbImage;
}

export interface Inspection {
  /** Encodes and adds images; returns the ids that left the window. */
  add(items: readonly InspectionItem[], label: string): Promise<string[]>;
  judge(): Judgement;
  /** every image kept, with its raw score and screening */
  state(): SessionState;
  /** image `id`'s S×S anomaly map (unnormalised), or null while it has no score */
  map(id: string): Float32Array | null;
  /** side of the patch grid */
  readonly grid: number;
}

/** Images per encoder call and session add, so progress moves and memory stays bounded. */
const CHUNK = 16;

export function openInspection(model: OpenModel, opts: InspectionOptions): Inspection {
  const { slots } = model;
  const { size, progress } = opts;
  const config = {
    ...DEFAULT_CONFIG,
    imageSize: size,
    forceSmallBatch: opts.forceSmallBatch,
    scorers: opts.policy,
    window: opts.window,
    alignedTolerance: opts.aligned ?? null,
    candidates: opts.candidates ?? null,
  };
  const session = new ScoringSession(config, model.manifest.taps.length, slots);
  announceModel(model, progress);
  return {
    async add(items, label) {
      const evicted: string[] = [];
      for (let start = 0; start < items.length; start += CHUNK) {
        const chunk = items.slice(start, start + CHUNK);
        progress.update(`encode ${label}`, start, items.length);
        const input = await encodeImages(
          model.runner,
          model.manifest,
          chunk.map((i) => i.image),
          { size, grid: opts.grid },
        );
        const onProgress = ({ done, total }: { done: number; total: number }) =>
          progress.update(`mutual scoring ${label}`, done, total, 'image pairs');
        const images = chunk.map(({ id, role, image }) => ({ id, role, grayscale: isGrayscale(image) }));
        evicted.push(...(await session.add(images, input, { onProgress })));
      }
      progress.update(`encode ${label}`, items.length, items.length);
      return evicted;
    },
    judge: () => judge(session.state(), DEFAULT_CONFIG.kList, opts.forceSmallBatch),
    state: () => session.state(),
    get grid() {
      return session.grid;
    },
    map(id) {
      const patchScores = session.patchScoresOf(id);
      if (!patchScores) return null;
      const out = new Float32Array(size * size);
      upsampleMap(patchScores, 0, session.grid, size, out);
      return out;
    },
  };
}
