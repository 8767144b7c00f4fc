import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../encoders/manifest.ts';
import { DEFAULT_CONFIG } from '../engine/types.ts';
import { checkBatchFits, largestBatch, pageBatchBytes, pageBudgetBytes } from './batchBudget.ts';
import type { ScoreSettings } from './protocol.ts';

// The default trunk's shape (public/models/resnet50v2-imagenet-trunk): two CNN taps of 512 and
// 1024 channels on a 14×14 grid at 224 px.
const manifest = {
  id: 'trunk',
  input: { size: 224 },
  taps: [
    { name: 'stage2_act', layout: 'nchw', grid: 14, dim: 512 },
    { name: 'stage3_act', layout: 'nchw', grid: 14, dim: 1024 },
  ],
} as unknown as ModelManifest;

// The default settings: 3 degrees (DEFAULT_CONFIG.rList) of both taps.
const settings: ScoreSettings = {
  ...DEFAULT_CONFIG,
  modelId: 'trunk',
  variant: null,
  backend: 'wasm',
  inputSize: 224,
  grid: null,
  taps: ['stage2_act', 'stage3_act'],
  alignedTolerance: null,
  candidates: null,
};

// Per image: taps 196·1536 floats, and 2 pool copies of 3·196·1536 features: 8 429 568 bytes.
// Per ordered pair: 6 feature sets of 196 distances: 4704 bytes.
const PER_IMAGE = (196 * 1536 + 2 * 3 * 196 * 1536) * 4;
const PER_PAIR = 6 * 196 * 4;

describe('the page’s memory budget for a batch', () => {
  it('counts the cached taps, one copy of the features per pool thread and every scoring pair', () => {
    const shape = { images: 83, references: 0, featureCopies: 2 };
    expect(PER_IMAGE).toBe(8_429_568);
    expect(pageBatchBytes(manifest, settings, shape)).toBe(83 * PER_IMAGE + 83 * 82 * PER_PAIR);
    // 64 candidate images: 64 scorers per image; 5 references: 78 queries × 5 and 5 references × 4
    expect(pageBatchBytes(manifest, { ...settings, candidates: 64 }, shape)).toBe(83 * PER_IMAGE + 83 * 64 * PER_PAIR);
    expect(pageBatchBytes(manifest, settings, { ...shape, references: 5 })).toBe(
      83 * PER_IMAGE + (78 * 5 + 5 * 4) * PER_PAIR,
    );
    // on WebGPU the features live on the GPU
    expect(pageBatchBytes(manifest, settings, { ...shape, featureCopies: 0 })).toBe(
      83 * 196 * 1536 * 4 + 83 * 82 * PER_PAIR,
    );
  });

  it('takes half the memory the browser reports, 8 GB assumed when it reports none', () => {
    expect(pageBudgetBytes(8)).toBe(4e9);
    expect(pageBudgetBytes(2)).toBe(1e9);
    expect(pageBudgetBytes(undefined)).toBe(4e9);
  });

  it('finds the largest batch that fits: 389 images exact in 4 GB (390 need 4.001 GB)', () => {
    const shape = { images: 1344, references: 0, featureCopies: 2 };
    expect(389 * PER_IMAGE + 389 * 388 * PER_PAIR).toBeLessThanOrEqual(4e9);
    expect(390 * PER_IMAGE + 390 * 389 * PER_PAIR).toBeGreaterThan(4e9);
    expect(largestBatch(manifest, settings, shape, 4e9)).toBe(389);
  });

  it('refuses a batch over the budget before encoding, saying how many fit and what else helps', () => {
    const shape = { images: 1344, references: 0, featureCopies: 2 };
    expect(() => checkBatchFits(manifest, settings, { ...shape, images: 389 }, 8)).not.toThrow();
    expect(() => checkBatchFits(manifest, settings, shape, 8)).toThrow(
      /A batch of 1344 images would need about 19\.8 GB of memory .* more than the 4\.0 GB .*half of the 8 GB this browser reports .* score at most 389 images at a time; turn on Candidate images/,
    );
    expect(() => checkBatchFits(manifest, { ...settings, candidates: 64 }, shape, undefined)).toThrow(
      /assumes 8 GB\)\. To score it: score at most 458 images at a time; mark a few known-good parts/,
    );
  });
});
