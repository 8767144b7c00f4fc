// Connected anomalous regions of a mask with 8-connectivity (skimage.measure.label's default in 2-D).

/**
 * Writes a region id (≥ firstId) into `ids` for every non-zero mask pixel (others −1) and returns
 * the pixel count of each region found, in id order.
 */
export function labelRegions(
  mask: Uint8Array,
  width: number,
  height: number,
  ids: Int32Array,
  firstId: number,
): number[] {
  ids.fill(-1);
  const areas: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || ids[start] >= 0) continue;
    const id = firstId + areas.length;
    let area = 0;
    ids[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const at = stack.pop() as number;
      area++;
      const y = Math.floor(at / width);
      const x = at - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (mask[next] && ids[next] < 0) {
            ids[next] = id;
            stack.push(next);
          }
        }
      }
    }
    areas.push(area);
  }
  return areas;
}
