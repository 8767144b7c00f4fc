// Accuracy against time, in one process: the `muscope eval` path (scoreCategory, then the metrics
// of measureCategory) on each evaluation set, at each input size, exact and with each shortcut
// (README "Shortcuts"). Exact scoring keeps each set's usual subsets (Magnetic Tile: 100 images);
// with candidate images the whole set is one batch. `seconds` runs from the first decode to the final scores (the metrics are
// not counted: an inspection does not compute them); `peak_rss_mb` is the largest resident set
// sampled every 100 ms while that one run scored, so runs do not inherit each other's peak.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCategory } from '../../src/cli/measureCategory.ts';
import { openModel } from '../../src/cli/model.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { scoreCategory } from '../../src/cli/scoreCategory.ts';
import type { MaskRule } from '../../src/engine/preprocess/mask.ts';
import { defaultModelId } from '../../src/platform/node/models.ts';
import { readCategory } from './bottleCase.ts';
import { withPeakRss, type BenchRecord } from './cases.ts';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

/** An evaluation set as the README's accuracy tables run it. */
interface EvaluationSet {
  root: string;
  category: string;
  rule: MaskRule;
  excludeEmpty: boolean;
  /** images per mutual-scoring subset (Magnetic Tile is scored in subsets of 100) */
  maxBatch: number;
}

export const EVALUATION_SETS: Record<string, EvaluationSet> = {
  bottle: {
    root: join(DATA, 'mvtec_ad'),
    category: 'bottle',
    rule: 'int-cast',
    excludeEmpty: false,
    maxBatch: Number.MAX_SAFE_INTEGER,
  },
  metal_plate: {
    root: join(DATA, 'mpdd_resplit512'),
    category: 'metal_plate',
    rule: 'int-cast',
    excludeEmpty: false,
    maxBatch: Number.MAX_SAFE_INTEGER,
  },
  magnetic_tile: { root: join(DATA, 'mtd'), category: 'magnetic_tile', rule: 'gt0', excludeEmpty: true, maxBatch: 100 },
};

/** A scoring method: exact, or shortcuts with their parameters, as `--methods` names it ('+' combines). */
export interface Method {
  name: string;
  aligned: number | null;
  candidates: number | null;
}

export function parseMethod(text: string): Method {
  const method: Method = { name: text, aligned: null, candidates: null };
  if (text === 'exact') return method;
  for (const part of text.split('+')) {
    const aligned = /^aligned:(0?\.\d+)$/.exec(part);
    const candidates = /^candidates:(\d+)$/.exec(part);
    if (aligned) method.aligned = Number(aligned[1]);
    else if (candidates) method.candidates = Number(candidates[1]);
    else
      throw new Error(
        `unknown method ${text}; known: exact, aligned:<tolerance>, candidates:<K>, or both joined by + (e.g. aligned:0.1+candidates:48)`,
      );
  }
  return method;
}

export interface TradeoffsPlan {
  datasets: string[];
  sizes: number[];
  methods: Method[];
}

const round4 = (v: number | null): number | string => (v === null ? 'undefined' : +v.toFixed(4));

export async function runTradeoffsCase(emit: (r: BenchRecord) => void, plan: TradeoffsPlan): Promise<void> {
  const modelId = defaultModelId();
  if (!modelId) return emit({ case: 'tradeoffs', skipped: 'no model installed (run `npm install`)' });
  const progress = createProgress();
  const model = await openModel(modelId, 'fp32');
  try {
    for (const dataset of plan.datasets) {
      const set = EVALUATION_SETS[dataset];
      if (!set) throw new Error(`unknown dataset ${dataset}; known: ${Object.keys(EVALUATION_SETS).join(', ')}`);
      const category = readCategory(set.root, set.category);
      if ('skipped' in category) {
        emit({ case: 'tradeoffs', dataset, skipped: category.skipped });
        continue;
      }
      for (const size of plan.sizes) {
        for (const method of plan.methods) {
          const started = performance.now();
          const { value: scored, peakRssMb } = await withPeakRss(() =>
            scoreCategory(model, category, {
              size,
              aligned: method.aligned,
              candidates: method.candidates,
              // Candidate images pick scorers from the whole set: no subsets.
              maxBatch: method.candidates === null ? set.maxBatch : Number.MAX_SAFE_INTEGER,
              progress,
            }),
          );
          const seconds = (performance.now() - started) / 1000;
          const { image, pixel } = await measureCategory(scored, {
            size,
            rule: set.rule,
            excludeEmpty: set.excludeEmpty,
            progress,
          });
          progress.done();
          emit({
            case: 'tradeoffs',
            backend: 'node-ort',
            model: modelId,
            dataset,
            size,
            grid: scored.set.grid,
            images: scored.items.length,
            subsets: scored.set.subsets,
            method: method.name,
            image_auroc: round4(image.auroc),
            pixel_auroc: round4(pixel.metrics.auroc),
            aupro: round4(pixel.metrics.aupro),
            seconds: +seconds.toFixed(1),
            mutual_scoring_seconds: +scored.set.scoreSeconds.toFixed(1),
            peak_rss_mb: peakRssMb,
          });
        }
      }
    }
  } finally {
    await model.close();
  }
}
