import { useEffect, useRef } from 'react';
import type { BatchImage } from '../batch/types.ts';
import { useBitmap } from '../heatmap/useBitmap.ts';
import { CardActions, removeOnDeleteKey, type CardActionProps } from './CardActions.tsx';

/** An image of the batch that has no score yet; it can already be marked known good or removed. */
export function PendingCard({ image, actions }: { image: BatchImage; actions: CardActionProps }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const bitmap = useBitmap(image.blob, 320);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !bitmap) return;
    ctx.canvas.width = bitmap.width;
    ctx.canvas.height = bitmap.height;
    ctx.drawImage(bitmap, 0, 0);
  }, [bitmap]);
  return (
    <div
      className="card card-pending"
      data-testid="pending-image"
      data-name={image.name}
      data-key={image.key}
      data-reference={String(actions.reference)}
      tabIndex={-1}
      onKeyDown={removeOnDeleteKey(actions.onRemove)}
    >
      <canvas ref={canvas} className="thumb" />
      <span className="card-body">
        <span className="card-title" title={image.path}>
          <span className="name">{image.name}</span>
        </span>
        <span className="card-foot muted">not scored yet</span>
      </span>
      <CardActions {...actions} />
    </div>
  );
}
