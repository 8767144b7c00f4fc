import { describe, expect, it } from 'vitest';
import { imageMetrics } from './ranking.ts';

describe('imageMetrics', () => {
  it('matches sklearn on its documented example', () => {
    // roc_auc_score 0.75, average_precision_score 0.8333…, F1 over the PR curve max 0.8
    const m = imageMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(m.auroc).toBeCloseTo(0.75, 15);
    expect(m.ap).toBeCloseTo(5 / 6, 15);
    expect(m.f1Max).toBeCloseTo(0.8, 15);
  });

  it('scores tied positives and negatives as one operating point', () => {
    // one threshold holding both classes: AUROC 0.5, AP = precision 0.5, F1 = 2·0.5·1/1.5
    const m = imageMetrics([0, 1], [0.3, 0.3]);
    expect(m).toEqual({ auroc: 0.5, ap: 0.5, f1Max: 2 / 3 });
    // ties across classes: 5.5 of 9 pairs ordered (ties count half); operating points
    // (P, R) = (1/2, 1/3) at 0.9, (3/5, 1) at 0.5, (1/2, 1) at 0.1
    const t = imageMetrics([1, 0, 1, 0, 1, 0], [0.9, 0.9, 0.5, 0.5, 0.5, 0.1]);
    expect(t.auroc).toBeCloseTo(5.5 / 9, 15);
    expect(t.ap).toBeCloseTo(0.5 * (1 / 3) + 0.6 * (2 / 3), 15);
    expect(t.f1Max).toBeCloseTo(0.75, 15);
  });

  it('is 1 for a perfect ranking and undefined (null) with a single class', () => {
    expect(imageMetrics([0, 1, 1], [0.1, 0.5, 0.9])).toEqual({ auroc: 1, ap: 1, f1Max: 1 });
    expect(imageMetrics([1, 1, 1], [0.1, 0.5, 0.9])).toEqual({ auroc: null, ap: null, f1Max: null });
    expect(imageMetrics([0, 0], [0.1, 0.5])).toEqual({ auroc: null, ap: null, f1Max: null });
  });
});
