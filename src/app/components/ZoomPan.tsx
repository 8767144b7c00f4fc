import { useRef, useState, type ReactNode, type PointerEvent, type WheelEvent } from 'react';

interface View {
  scale: number;
  x: number;
  y: number;
}

const FIT: View = { scale: 1, x: 0, y: 0 };
const MIN_SCALE = 1;
const MAX_SCALE = 16;

/** Wheel or buttons to zoom (around the pointer), drag to pan, double-click to fit. */
export function ZoomPan({ children }: { children: ReactNode }) {
  const [view, setView] = useState<View>(FIT);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; view: View } | null>(null);

  const zoomAt = (factor: number, clientX?: number, clientY?: number) =>
    setView((v) => {
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
      if (scale === MIN_SCALE) return FIT;
      const box = frame.current?.getBoundingClientRect();
      // Keep the point under the pointer (or the centre) where it is.
      const px = box ? (clientX ?? box.left + box.width / 2) - box.left - box.width / 2 : 0;
      const py = box ? (clientY ?? box.top + box.height / 2) - box.top - box.height / 2 : 0;
      const k = scale / v.scale;
      return { scale, x: px - k * (px - v.x), y: py - k * (py - v.y) };
    });

  const onWheel = (e: WheelEvent) => zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX, e.clientY);
  const onPointerDown = (e: PointerEvent) => {
    if (view.scale === 1) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, view };
  };
  const onPointerMove = (e: PointerEvent) => {
    const start = drag.current;
    if (start) setView({ ...start.view, x: start.view.x + e.clientX - start.x, y: start.view.y + e.clientY - start.y });
  };
  const endDrag = () => {
    drag.current = null;
  };

  return (
    <div className="zoompan">
      <div
        ref={frame}
        className={`zoompan-frame${view.scale > 1 ? ' zoomed' : ''}`}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onDoubleClick={() => setView(FIT)}
      >
        <div
          className="zoompan-content"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
        >
          {children}
        </div>
      </div>
      <div className="zoompan-tools" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomAt(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomAt(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setView(FIT)}>
          Fit
        </button>
        <span className="muted">{Math.round(view.scale * 100)}%</span>
      </div>
    </div>
  );
}
