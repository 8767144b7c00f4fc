import { describe, expect, it } from 'vitest';
import { planTargets } from './slotPlan.ts';

describe('feature slot pair plan', () => {
  // slots 0, 2, 3, 5, 7, 8, 9 with 3 slots per chunk
  const slots = [0, 2, 3, 5, 7, 8, 9];
  const places = slots.map((slot) => ({ chunk: Math.floor(slot / 3), place: slot % 3 }));

  it('covers every target once, each dispatch within one chunk and the dispatch cap', () => {
    const runs = planTargets(places, 4, 2);
    expect(runs.map(({ first, count }) => [first, count])).toEqual([
      [0, 4],
      [4, 3],
    ]);
    const seen: number[] = [];
    for (const run of runs) {
      for (const d of run.dispatches) {
        expect(d.count).toBeGreaterThan(0);
        expect(d.count).toBeLessThanOrEqual(2);
        for (let k = d.base; k < d.base + d.count; k++) {
          const [t, place] = [run.targets[2 * k], run.targets[2 * k + 1]];
          expect(t).toBeLessThan(run.count);
          expect({ chunk: d.chunk, place }).toEqual(places[run.first + t]);
          seen.push(run.first + t);
        }
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(slots.map((_, t) => t));
  });

  it('plans nothing for no targets', () => {
    expect(planTargets([], 4, 2)).toEqual([]);
  });
});
