// Test support: a polygon filled back into a mask, independently of the tracing that made it.

/** Even-odd fill at pixel centres, as polygon rasterisers (pycocotools, CVAT) read corner coordinates. */
export function rasterise(polygon: readonly number[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const n = polygon.length / 2;
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    const crossings: number[] = [];
    for (let i = 0; i < n; i++) {
      const [x0, y0] = [polygon[2 * i], polygon[2 * i + 1]];
      const [x1, y1] = [polygon[(2 * i + 2) % (2 * n)], polygon[(2 * i + 3) % (2 * n)]];
      if (y0 <= cy !== y1 <= cy) crossings.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2)
      for (let x = Math.ceil(crossings[k] - 0.5); x + 0.5 < crossings[k + 1]; x++) out[y * width + x] = 1;
  }
  return out;
}
