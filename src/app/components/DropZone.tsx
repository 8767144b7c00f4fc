import { useState, type DragEvent, type ReactNode } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { filesFromDataTransfer } from '../intake/collect.ts';
import { addFiles } from '../run/controller.ts';

/** Accepts dropped files and folders anywhere over its area. */
export function DropZone({ manifest, children }: { manifest: ModelManifest | undefined; children: ReactNode }) {
  const [over, setOver] = useState(false);
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    setOver(false);
    // Taken already by a drop target inside (the known-good references).
    if (e.nativeEvent.defaultPrevented) return;
    e.preventDefault();
    // The items must be read now, inside the event; the walk over folders continues after.
    const files = filesFromDataTransfer(e.dataTransfer);
    void files.then((incoming) => addFiles(incoming, manifest));
  };
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
