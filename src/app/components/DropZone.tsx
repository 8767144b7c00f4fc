import type { ReactNode } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { useFileDrop } from '../intake/useFileDrop.ts';
import { addFiles } from '../run/controller.ts';

/** Accepts dropped files and folders anywhere over its area. */
export function DropZone({ manifest, children }: { manifest: ModelManifest | undefined; children: ReactNode }) {
  const { over, setOver, onDragOver, onDrop } = useFileDrop((handed) => void addFiles(handed, manifest));
  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}`}
      data-testid="drop-zone"
      onDragOver={onDragOver}
      onDragLeave={(e) => e.currentTarget === e.target && setOver(false)}
      onDrop={onDrop}
    >
      {children}
      {over && (
        <div className="drop-hint">Drop images or folders to add them to the batch (on Known good: as references)</div>
      )}
    </div>
  );
}
