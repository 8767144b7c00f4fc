// One sentence per image, built only from its measured regions (docs/method.md §18): how many,
// then for the largest few where they lie, their share of the image and, when it is so, that
// they are elongated.

import type { Region } from './regions.ts';

/** A region is called elongated when its principal axes differ by this ratio or more. */
export const ELONGATED = 3;
/** Regions described one by one; the rest are counted. */
const LISTED = 3;
const COUNTS = ['No region', 'One region', 'Two regions', 'Three regions'];

const percent = (p: number) => `${p < 1 ? p.toFixed(1) : Math.round(p)} % of the image`;

function clause(region: Region): string {
  const words = [region.position, percent(region.areaPercent)];
  if (region.elongation >= ELONGATED) words.push('elongated');
  return words.join(', ');
}

/** One region on its own, e.g. "Upper right, 4 % of the image, elongated." */
export function describeRegion(region: Region): string {
  const text = clause(region);
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

/** e.g. "One region, upper right, 4 % of the image, elongated." — regions largest first. */
export function describeRegions(regions: readonly Region[]): string {
  const count = COUNTS[regions.length] ?? `${regions.length} regions`;
  if (regions.length === 0) return `${count} above the pixel threshold.`;
  if (regions.length === 1) return `${count}, ${clause(regions[0])}.`;
  const listed = regions.slice(0, LISTED).map(clause);
  const rest = regions.length - listed.length;
  const more = rest > 0 ? `; ${rest} smaller` : '';
  return `${count}: ${listed.join('; ')}${more}.`;
}
