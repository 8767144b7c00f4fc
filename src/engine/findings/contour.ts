// The outer boundary of one connected component, traced along pixel edges so that the polygon's
// vertices are pixel corners: rasterised back (a pixel is inside when its centre is), it gives
// the component exactly, holes filled (docs/method.md §18).

/** Right, down, left, up on screen (y grows downwards); turning right is the next index. */
const DIRS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
];
const UP = 3;

/**
 * Traces the outer boundary of component `id` in `ids` (width×height, row-major) with
 * 8-connectivity, starting at `start`, the component's first pixel in raster order. Returns the
 * closed polygon as [x0, y0, x1, y1, …] in pixel-corner coordinates (pixel (x, y) covers
 * [x, x+1)×[y, y+1)), clockwise on screen, corners only. Pixels that touch diagonally stay in one
 * polygon, which then touches itself at that corner.
 */
export function traceOuterBoundary(
  ids: Int32Array,
  width: number,
  height: number,
  id: number,
  start: number,
): number[] {
  const inside = (px: number, py: number) =>
    px >= 0 && py >= 0 && px < width && py < height && ids[py * width + px] === id;
  /** the pixel having corner (x, y) in the quadrant (ax, ay), each ±1 */
  const quadrant = (x: number, y: number, ax: number, ay: number) => inside(ax > 0 ? x : x - 1, ay > 0 ? y : y - 1);
  const sx = start % width;
  const sy = (start - sx) / width;
  // The start pixel's top-left corner, reached going up its left edge: the pixels above and to
  // its left come earlier in raster order, so they are outside.
  let x = sx;
  let y = sy;
  let d = UP;
  const polygon: number[] = [];
  do {
    const [dx, dy] = DIRS[d];
    // The interior is kept on the right. Ahead-left inside: turn left (8-connectivity joins a
    // diagonal neighbour); else ahead-right inside: straight on; else turn right.
    const left = quadrant(x, y, dx + dy, dy - dx);
    const right = quadrant(x, y, dx - dy, dy + dx);
    const next = left ? (d + 3) % 4 : right ? d : (d + 1) % 4;
    if (next !== d) polygon.push(x, y);
    x += DIRS[next][0];
    y += DIRS[next][1];
    d = next;
  } while (x !== sx || y !== sy || d !== UP);
  return polygon;
}
