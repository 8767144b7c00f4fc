import { useRef, useState, type DragEvent } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { useBatchStore } from '../batch/batchStore.ts';
import { filesFromDataTransfer, filesFromList } from '../intake/collect.ts';
import { addFiles } from '../run/controller.ts';

/**
 * The "Known-good" target: images dropped on it, or picked with its buttons (files, or a whole
 * folder such as an export's references/), join the batch as known-good references.
 */
export function ReferenceIntake({ manifest }: { manifest: ModelManifest | undefined }) {
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const count = useBatchStore((s) => s.images.filter((i) => i.role === 'reference').length);
  const pick = (input: HTMLInputElement) => {
    void addFiles(filesFromList(input.files ?? []), manifest, 'reference');
    input.value = '';
  };
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    // preventDefault tells the page-wide drop zone around this one that the drop is taken.
    e.preventDefault();
    setOver(false);
    const incoming = filesFromDataTransfer(e.dataTransfer);
    void incoming.then((found) => addFiles(found, manifest, 'reference'));
  };
  return (
    <div
      className={`refzone${over ? ' refzone-over' : ''}`}
      data-testid="reference-drop"
      role="group"
      aria-label="Known-good references: drop images or a folder here"
      onDragOver={onDragOver}
      onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setOver(false)}
      onDrop={onDrop}
    >
      <span className="refzone-label" title="Known-good parts score the others and are never findings">
        Known good{count > 0 ? ` (${count})` : ''}: drop here or
      </span>
      <input
        ref={files}
        type="file"
        multiple
        accept="image/*,video/*"
        hidden
        data-testid="reference-input"
        onChange={(e) => pick(e.currentTarget)}
      />
      <input
        ref={(el) => {
          folder.current = el;
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        data-testid="reference-folder-input"
        onChange={(e) => pick(e.currentTarget)}
      />
      <button type="button" onClick={() => files.current?.click()} data-testid="import-references">
        Import references…
      </button>
      <button type="button" onClick={() => folder.current?.click()}>
        Folder…
      </button>
    </div>
  );
}
