// Where a region lies, in words: the image is cut into thirds each way and the region's centroid
// names its cell (docs/method.md §18).

const ROWS = ['upper', 'centre', 'lower'] as const;
const COLUMNS = ['left', 'centre', 'right'] as const;

/** "upper left" … "lower right", "centre" for the middle cell; (x, y) in pixels of a width×height image. */
export function positionWords(x: number, y: number, width: number, height: number): string {
  const third = (v: number, side: number) => Math.min(2, Math.max(0, Math.floor((3 * v) / side)));
  const row = ROWS[third(y, height)];
  const column = COLUMNS[third(x, width)];
  if (row === 'centre' && column === 'centre') return 'centre';
  return `${row} ${column}`;
}
