import { useState, type DragEvent } from 'react';
import { filesFromDataTransfer, type Handover } from './collect.ts';

/**
 * Drag-over highlighting and the drop of files and folders onto an area. A drop a target inside
 * has already taken (preventDefault) is left to it, so a Known-good target can sit inside the
 * page-wide drop zone.
 */
export function useFileDrop(onFiles: (handed: Handover) => void) {
  const [over, setOver] = useState(false);
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    setOver(false);
    if (e.nativeEvent.defaultPrevented) return;
    e.preventDefault();
    // The items must be read now, inside the event; the walk over folders continues after.
    void filesFromDataTransfer(e.dataTransfer).then(onFiles);
  };
  return { over, setOver, onDragOver, onDrop };
}
