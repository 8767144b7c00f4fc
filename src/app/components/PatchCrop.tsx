import { useEffect, useRef } from 'react';
import { useBitmap } from '../heatmap/useBitmap.ts';

interface Props {
  blob: Blob;
  /** side of the patch grid the image was scored on */
  grid: number;
  /** row-major patch index */
  patch: number;
  label: string;
}

const CROP_SIDE = 120;
const DECODE_SIDE = 1024;
/** patches shown around the one in question on each side, for context */
const CONTEXT = 1;

/**
 * A crop of the image around one patch, the patch boxed. A patch covers 1/grid of the image's
 * width and height: the encoder sees the image squashed to a square, stretched back here.
 */
export function PatchCrop({ blob, grid, patch, label }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const bitmap = useBitmap(blob, DECODE_SIDE);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !bitmap) return;
    const [row, col] = [Math.floor(patch / grid), patch % grid];
    const [cellW, cellH] = [bitmap.width / grid, bitmap.height / grid];
    const first = (at: number) => Math.max(0, Math.min(grid - (2 * CONTEXT + 1), at - CONTEXT));
    const [x0, y0] = [first(col), first(row)];
    const cells = Math.min(grid, 2 * CONTEXT + 1);
    ctx.canvas.width = CROP_SIDE;
    ctx.canvas.height = CROP_SIDE;
    ctx.drawImage(bitmap, x0 * cellW, y0 * cellH, cells * cellW, cells * cellH, 0, 0, CROP_SIDE, CROP_SIDE);
    const cell = CROP_SIDE / cells;
    ctx.strokeStyle = '#ffd400';
    ctx.lineWidth = 2;
    ctx.strokeRect((col - x0) * cell + 1, (row - y0) * cell + 1, cell - 2, cell - 2);
  }, [bitmap, grid, patch]);
  return <canvas ref={canvas} className="patch-crop" aria-label={label} data-testid="evidence-crop" />;
}
