import { describe, expect, it } from 'vitest';
import { createStillnessDetector, meanAbsDifference } from './motion.ts';

const scene = (value: number) => new Uint8Array(64).fill(value);

/** Feeds `value` for `ms` at 5 samples per second; returns the times a capture fired. */
function hold(detector: ReturnType<typeof createStillnessDetector>, value: number, from: number, ms: number) {
  const fired: number[] = [];
  for (let t = from; t < from + ms; t += 200) if (detector.step(scene(value), t)) fired.push(t);
  return fired;
}

describe('automatic capture', () => {
  it('measures the mean absolute difference', () => {
    expect(meanAbsDifference(scene(10), scene(30))).toBe(20);
    expect(meanAbsDifference(scene(10), new Uint8Array(3))).toBe(Infinity);
  });

  it('captures each placed part once after it is held still, and never the empty station', () => {
    const d = createStillnessDetector({ level: 8, stillMs: 1000 });
    expect(hold(d, 128, 0, 3000)).toEqual([]); // the empty station, learnt
    expect(hold(d, 40, 3000, 3000)).toEqual([4200]); // part A: once, 1 s after it stopped moving (first still sample at 3200)
    expect(hold(d, 128, 6000, 2000)).toEqual([]); // taken away: the empty station again
    expect(hold(d, 60, 8000, 3000)).toEqual([9200]); // part B
  });

  it('waits for stillness while the part moves', () => {
    const d = createStillnessDetector({ level: 8, stillMs: 1000 });
    hold(d, 128, 0, 2000);
    const fired: number[] = [];
    for (let t = 2000, v = 0; t < 4000; t += 200, v = (v + 50) % 250) if (d.step(scene(v), t)) fired.push(t);
    expect(fired).toEqual([]);
    expect(hold(d, 40, 4000, 2000)).toEqual([5200]);
  });
});
