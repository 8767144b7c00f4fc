// Draws an image with its anomaly map blended over it and, optionally, the outline of the region
// above a pixel threshold; also the binary mask of that region for export.
import { COLORMAPS, type ColormapName } from '../../engine/colormaps.ts';
import type { MapRange } from './maps.ts';

export interface OverlayStyle {
  colormap: ColormapName;
  /** heat weight, 0..1 */
  opacity: number;
  range: MapRange;
  /** map value above which pixels are outlined; null draws no outline */
  outlineAbove: number | null;
}

export interface OverlayInput {
  image: CanvasImageSource;
  map: Float32Array;
  mapSize: number;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function heatCanvas(map: Float32Array, size: number, colormap: ColormapName, range: MapRange): OffscreenCanvas {
  const table = COLORMAPS[colormap];
  const span = range.max - range.min;
  const pixels = new ImageData(size, size);
  for (let p = 0; p < size * size; p++) {
    const level = span > 0 ? Math.round(255 * Math.min(1, Math.max(0, (map[p] - range.min) / span))) : 0;
    pixels.data[p * 4] = table[level * 3];
    pixels.data[p * 4 + 1] = table[level * 3 + 1];
    pixels.data[p * 4 + 2] = table[level * 3 + 2];
    pixels.data[p * 4 + 3] = 255;
  }
  const canvas = new OffscreenCanvas(size, size);
  (canvas.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(pixels, 0, 0);
  return canvas;
}

/** Edges between map pixels above and not above the threshold, as one path in map pixels. */
function outlinePath(map: Float32Array, size: number, threshold: number): Path2D {
  const path = new Path2D();
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < size && y < size && map[y * size + x] > threshold;
  const edge = (x0: number, y0: number, x1: number, y1: number) => {
    path.moveTo(x0, y0);
    path.lineTo(x1, y1);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x, y - 1)) edge(x, y, x + 1, y);
      if (!inside(x, y + 1)) edge(x, y + 1, x + 1, y + 1);
      if (!inside(x - 1, y)) edge(x, y, x, y + 1);
      if (!inside(x + 1, y)) edge(x + 1, y, x + 1, y + 1);
    }
  }
  return path;
}

/** Fills the context's whole canvas: the image stretched to it, the heat over it, the outline. */
export function drawOverlay(ctx: Context2D, { image, map, mapSize }: OverlayInput, style: OverlayStyle): void {
  const { width, height } = ctx.canvas;
  ctx.save();
  ctx.clearRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  ctx.globalAlpha = style.opacity;
  ctx.drawImage(heatCanvas(map, mapSize, style.colormap, style.range), 0, 0, width, height);
  ctx.globalAlpha = 1;
  if (style.outlineAbove !== null) {
    const path = outlinePath(map, mapSize, style.outlineAbove);
    ctx.scale(width / mapSize, height / mapSize);
    ctx.lineWidth = (3 * mapSize) / Math.min(width, height); // 3 canvas pixels, in map units
    ctx.strokeStyle = '#ffffff';
    ctx.stroke(path);
    ctx.lineWidth /= 2;
    ctx.strokeStyle = '#ff1744';
    ctx.stroke(path);
  }
  ctx.restore();
}

/** White where the map exceeds the threshold, black elsewhere, stretched to width×height. */
export function drawMask(ctx: Context2D, map: Float32Array, mapSize: number, threshold: number): void {
  const pixels = new ImageData(mapSize, mapSize);
  for (let p = 0; p < mapSize * mapSize; p++) {
    const v = map[p] > threshold ? 255 : 0;
    pixels.data.set([v, v, v, 255], p * 4);
  }
  const small = new OffscreenCanvas(mapSize, mapSize);
  (small.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, ctx.canvas.width, ctx.canvas.height);
}
