import { describe, expect, it } from 'vitest';
import { typicalDistance } from './profiles.ts';
import { screen, type ScreeningInput } from './screen.ts';
import { scoreOutsideBatch, statisticsValues, unscreened, verdictScores } from './notes.ts';

const SETS = 2;
const P = 4;

/** Every patch of i at distance `d(i, j)` from j, in both sets. */
function input(d: (i: number, j: number) => number, count: number, grayscale: boolean[] = []): ScreeningInput {
  const row = (i: number, j: number) => new Float32Array(SETS * P).fill(d(i, j));
  return {
    count,
    sets: SETS,
    distances: (i, j) => (i === j ? undefined : row(i, j)),
    typical: (i, j) => (i === j ? undefined : typicalDistance(row(i, j), SETS)),
    grayscale: (i) => grayscale[i],
  };
}

describe('screen', () => {
  it('groups near-duplicates: pairs below 0.2× the median pair distance, connected', () => {
    // 0, 1, 2 are copies (0.05 apart), the others 0.5 apart from everything
    const copies = new Set([0, 1, 2]);
    const s = screen(input((i, j) => (copies.has(i) && copies.has(j) ? 0.05 : 0.5), 8));
    expect(s.typicalPair).toBe(0.5);
    expect(s.images.map((x) => x.group)).toEqual([0, 0, 0, 3, 4, 5, 6, 7]);
    // a copy's usual distance leaves its own group out: it is as far as any other image
    expect(s.images.every((x) => x.farness === 1 && x.notComparable === null)).toBe(true);
  });

  it('calls an image more than 3× the median usual nearest distance not comparable, and a grey one among colour images', () => {
    const far = (i: number, j: number) => (i === 5 || j === 5 ? 2 : 0.5);
    const grayscale = [false, false, true, false, false, false, false];
    const s = screen(input(far, 7, grayscale));
    expect(s.images.map((x) => x.notComparable)).toEqual([
      null,
      null,
      'grayscale among colour images',
      null,
      null,
      'unlike the others',
      null,
    ]);
    expect(s.images[5].farness).toBe(4);
    // in a grey batch no grey image is singled out
    expect(screen(input(() => 0.5, 5, [true, true, true, true, false])).images.every((x) => !x.notComparable)).toBe(
      true,
    );
  });

  it('does not judge comparability on fewer than 3 images', () => {
    const s = screen(input((i, j) => (i === 1 || j === 1 ? 9 : 0.5), 2));
    expect(s.typicalUsual).toBeNull();
    expect(s.images.every((x) => x.farness === null && !x.notComparable)).toBe(true);
  });
});

describe('screening notes', () => {
  const notes = [
    { ...unscreened('a'), group: 'a', duplicateOf: 'b' },
    { ...unscreened('b'), group: 'a', duplicateOf: 'a' },
    { ...unscreened('c'), group: 'a', duplicateOf: 'a' },
    unscreened('d'),
    { ...unscreened('e'), notComparable: 'unlike the others' as const, farness: 4 },
  ];
  it('gives one value per group of comparable images, the median of its scores, and one verdict score', () => {
    expect(statisticsValues([0, 0.3, 0.1, 0.5, 0.9], notes)).toEqual([0.1, 0.5]);
    expect(verdictScores([0, 0.3, 0.1, 0.5, 0.9], notes)).toEqual([0.1, 0.1, 0.1, 0.5, 0.9]);
  });
  it('places a not-comparable score on the comparable images’ range, clamped', () => {
    expect(scoreOutsideBatch(3, [1, 2])).toBe(1);
    expect(scoreOutsideBatch(1.5, [1, 2])).toBe(0.5);
    expect(scoreOutsideBatch(0, [1, 2])).toBe(0);
  });
});
