import type { ModelManifest } from '../../encoders/manifest.ts';
import { useBatchStore } from '../batch/batchStore.ts';
import { useFileDrop } from '../intake/useFileDrop.ts';
import { addFiles } from '../run/controller.ts';
import { FilePickers } from './FilePickers.tsx';

/**
 * The "Known-good" target: images dropped on it, or picked with its buttons (files, or a whole
 * folder such as an export's references/), join the batch as known-good references.
 */
export function ReferenceIntake({ manifest }: { manifest: ModelManifest | undefined }) {
  const count = useBatchStore((s) => s.images.filter((i) => i.role === 'reference').length);
  // The drop is taken here (preventDefault), so the page-wide drop zone around leaves it alone.
  const { over, setOver, onDragOver, onDrop } = useFileDrop((handed) => void addFiles(handed, manifest, 'reference'));
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
      <FilePickers
        manifest={manifest}
        role="reference"
        labels={{ files: 'Import references…', folder: 'Folder…' }}
        testIds={{ files: 'reference-input', folder: 'reference-folder-input', filesButton: 'import-references' }}
      />
    </div>
  );
}
