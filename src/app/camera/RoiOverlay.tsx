import { useRef, useState, type PointerEvent } from 'react';
import type { Roi } from './frame.ts';

/** Smaller drags (as a share of the side) are clicks, not regions. */
const MIN_SIDE = 0.03;

const clamp = (v: number) => Math.max(0, Math.min(1, v));

function fractionOf(e: PointerEvent<HTMLDivElement>) {
  const box = e.currentTarget.getBoundingClientRect();
  return { x: clamp((e.clientX - box.left) / box.width), y: clamp((e.clientY - box.top) / box.height) };
}

function rectOf(a: { x: number; y: number }, b: { x: number; y: number }): Roi {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/**
 * Lies over the preview, which has the video's aspect ratio, so fractions of this box are
 * fractions of the frame. Drag to draw the region of interest.
 */
export function RoiOverlay({ roi, onChange }: { roi: Roi | null; onChange: (roi: Roi | null) => void }) {
  const start = useRef<{ x: number; y: number } | null>(null);
  const [drawing, setDrawing] = useState<Roi | null>(null);
  const shown = drawing ?? roi;
  return (
    <div
      className="camera-roi-layer"
      data-testid="roi-layer"
      title="Drag to inspect only a region of the picture"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = fractionOf(e);
        setDrawing(null);
      }}
      onPointerMove={(e) => {
        if (start.current) setDrawing(rectOf(start.current, fractionOf(e)));
      }}
      onPointerUp={(e) => {
        if (!start.current) return;
        const rect = rectOf(start.current, fractionOf(e));
        start.current = null;
        setDrawing(null);
        if (rect.width >= MIN_SIDE && rect.height >= MIN_SIDE) onChange(rect);
      }}
    >
      {shown && (
        <div
          className="camera-roi"
          data-testid="roi"
          style={{
            left: `${shown.x * 100}%`,
            top: `${shown.y * 100}%`,
            width: `${shown.width * 100}%`,
            height: `${shown.height * 100}%`,
          }}
        />
      )}
    </div>
  );
}
