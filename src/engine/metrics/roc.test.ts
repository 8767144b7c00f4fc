import { describe, expect, it } from 'vitest';
import { imageMetrics } from './ranking.ts';
import { rocCurve } from './roc.ts';

describe('rocCurve', () => {
  it('has the area the engine reports as AUROC, ties included', () => {
    const labels = [0, 1, 0, 1, 1, 0, 0, 1];
    const scores = [0.1, 0.8, 0.4, 0.4, 0.9, 0.2, 0.7, 0.3];
    const { fpr, tpr } = rocCurve(labels, scores);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
    expect(area).toBeCloseTo(imageMetrics(labels, scores).auroc ?? NaN, 12);
    expect([fpr[0], tpr[0], fpr.at(-1), tpr.at(-1)]).toEqual([0, 0, 1, 1]);
  });
});
