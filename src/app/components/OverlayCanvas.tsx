import { useEffect, useRef } from 'react';
import type { BatchScores } from '../../worker/protocol.ts';
import { anomalyMapOf, mapRange } from '../heatmap/maps.ts';
import { drawOverlay } from '../heatmap/render.ts';
import { useBitmap } from '../heatmap/useBitmap.ts';
import { useUiStore } from '../store.ts';

interface Props {
  blob: Blob;
  scores: BatchScores;
  index: number;
  /** longest side of the decoded image and of the canvas, in pixels */
  maxSide: number;
  /** pixel threshold to outline, null for none */
  outlineAbove: number | null;
  className?: string;
}

/** The image with its anomaly map over it, drawn with the view settings in force. */
export function OverlayCanvas({ blob, scores, index, maxSide, outlineAbove, className }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const bitmap = useBitmap(blob, maxSide);
  const view = useUiStore((s) => s.view);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !bitmap) return;
    ctx.canvas.width = bitmap.width;
    ctx.canvas.height = bitmap.height;
    drawOverlay(
      ctx,
      { image: bitmap, map: anomalyMapOf(scores, index), mapSize: scores.mapSize },
      {
        colormap: view.colormap,
        opacity: view.opacity,
        range: mapRange(scores, index, view.normalization),
        outlineAbove: view.showOutline ? outlineAbove : null,
      },
    );
  }, [bitmap, scores, index, view, outlineAbove]);
  return <canvas ref={canvas} className={className} data-testid="heatmap" />;
}
