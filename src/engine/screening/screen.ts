// Screening a batch before its verdicts (docs/method.md §19): which images are near-duplicates of
// each other (the same part re-encoded, recoloured, rotated by its EXIF tag, or captured twice),
// and which image is unlike everything else (another product, an empty or dark frame, a wrong
// exposure). Both are read from the nearest-patch distances mutual scoring already measured
// (profiles.ts), so screening costs no image pair of its own.
//
// Near-duplicates: the distance of image i to image j is the median over i's patches of their
// nearest distance to j (mean over the feature sets); a pair's distance is the larger of its two
// directions. A pair is near-duplicate when that lies below DUPLICATE_RATIO times the batch's
// typical pair distance (the median over every pair both of whose directions were computed);
// groups are the connected pairs.
//
// Not comparable: an image's usual nearest distance is the median over its patches of their
// distance to the nearest image outside its own group (its duplicates would vouch for it). It is
// not comparable when that lies more than NOT_COMPARABLE_RATIO times the batch's median usual
// nearest distance, with at least MIN_SCREENED images to take a median over. A grayscale image
// among colour images (more than half of the batch in colour) is not comparable either.

import { median } from '../verdict/robust.ts';
import { usualNearest } from './profiles.ts';

/** A pair is near-duplicate below this share of the batch's typical pair distance (measured: docs/method.md §19). */
export const DUPLICATE_RATIO = 0.2;
/** An image is not comparable when its usual nearest distance exceeds this multiple of the batch's median (docs/method.md §19). */
export const NOT_COMPARABLE_RATIO = 3;
/** Fewer images than this are not screened for comparability: a median of two says nothing. */
export const MIN_SCREENED = 3;

export const SCREENING_RULE =
  `Near-duplicates (an image pair whose typical patch distance, the median over patches in the farther direction, is below ${DUPLICATE_RATIO}× the batch's median pair distance) never score each other, count as one scorer, and get one verdict from the median of their scores, one value in the verdict statistics; ` +
  `an image whose usual nearest distance to the others is more than ${NOT_COMPARABLE_RATIO}× the batch's median, or a grayscale image among colour images, is not comparable: it scores no image and is kept out of the normalisation and the verdict statistics.`;

/** Why an image is not comparable. */
export type NotComparableReason = 'unlike the others' | 'grayscale among colour images';

export interface ScreeningInput {
  /** images screened, by position */
  count: number;
  sets: number;
  /** image i's nearest-patch distances to image j ([sets·P]), when scoring computed them */
  distances(i: number, j: number): Float32Array | undefined;
  /** typicalDistance of distances(i, j) (profiles.ts), when computed; a caller may cache it, since distances never change */
  typical(i: number, j: number): number | undefined;
  /** whether image i decoded to grey pixels only (colour.ts); undefined when not known */
  grayscale(i: number): boolean | undefined;
}

export interface ScreenedImage {
  /** the smallest position in its near-duplicate group (its own when it has no duplicate) */
  group: number;
  /** its usual nearest distance over the batch's median; null when not measured */
  farness: number | null;
  notComparable: NotComparableReason | null;
}

export interface Screening {
  images: ScreenedImage[];
  /** the median pair distance the duplicates are measured against; null without a pair */
  typicalPair: number | null;
  /** the median usual nearest distance the farness is measured against; null when not screened */
  typicalUsual: number | null;
}

/** Each position's group root, from near-duplicate pairs (union–find, the smaller position as root). */
function groupsOf(count: number, pairs: ReadonlyArray<readonly [number, number]>): number[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  for (const [a, b] of pairs) {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  return parent.map((_, i) => root(i));
}

function duplicateGroups(input: ScreeningInput): { groups: number[]; typicalPair: number | null } {
  const pairs: Array<{ a: number; b: number; distance: number }> = [];
  for (let a = 0; a < input.count; a++) {
    for (let b = a + 1; b < input.count; b++) {
      const [ab, ba] = [input.typical(a, b), input.typical(b, a)];
      if (ab !== undefined && ba !== undefined) pairs.push({ a, b, distance: Math.max(ab, ba) });
    }
  }
  if (pairs.length === 0) return { groups: groupsOf(input.count, []), typicalPair: null };
  const typicalPair = median(pairs.map((p) => p.distance).sort((x, y) => x - y));
  const duplicates = pairs.filter((p) => p.distance < DUPLICATE_RATIO * typicalPair).map((p) => [p.a, p.b] as const);
  return { groups: groupsOf(input.count, duplicates), typicalPair };
}

/** Whether more than half of the images are known to be in colour. */
function mostlyColour(input: ScreeningInput): boolean {
  let colour = 0;
  for (let i = 0; i < input.count; i++) if (input.grayscale(i) === false) colour += 1;
  return colour * 2 > input.count;
}

export function screen(input: ScreeningInput): Screening {
  const colourBatch = mostlyColour(input);
  const { groups, typicalPair } = duplicateGroups(input);
  const usual = groups.map((group, i) => {
    const rows: Float32Array[] = [];
    for (let j = 0; j < input.count; j++) {
      const row = groups[j] === group ? undefined : input.distances(i, j);
      if (row) rows.push(row);
    }
    return rows.length > 0 ? usualNearest(rows, input.sets) : null;
  });
  const measured = usual.filter((u): u is number => u !== null);
  const typicalUsual = measured.length >= MIN_SCREENED ? median(measured.sort((x, y) => x - y)) : null;
  return {
    typicalPair,
    typicalUsual,
    images: groups.map((group, i) => {
      const u = usual[i];
      const farness = typicalUsual && u !== null ? u / typicalUsual : null;
      const notComparable: NotComparableReason | null =
        farness !== null && farness > NOT_COMPARABLE_RATIO
          ? 'unlike the others'
          : colourBatch && input.grayscale(i) === true
            ? 'grayscale among colour images'
            : null;
      return { group, farness, notComparable };
    }),
  };
}
