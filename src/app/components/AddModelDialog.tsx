import { useEffect, useRef, useState } from 'react';
import type { VitFamily } from '../../encoders/import/families.ts';
import { WorkerCallError } from '../../worker/client.ts';
import type { AddModelProgress, Calls } from '../../worker/protocol.ts';

type AddedModel = Calls['add-model']['reply']['model'];
type ExportFiles = Pick<Calls['add-model']['request'], 'file' | 'dataFiles'>;

/** The .onnx among the files picked together, and the rest as its data files; null for none. */
function exportFiles(picked: File[]): ExportFiles | null {
  const file = picked.find((f) => /\.onnx$/i.test(f.name)) ?? picked[0];
  return file ? { file, dataFiles: picked.filter((f) => f !== file) } : null;
}
import { workerClient } from '../workerClient.ts';

type Status =
  | { state: 'idle' }
  | { state: 'working'; progress: AddModelProgress | null }
  | { state: 'done'; added: AddedModel; lines: string[]; persisted: boolean | null }
  | { state: 'error'; text: string };

const STAGE_TEXT: Record<AddModelProgress['stage'], string> = {
  read: 'Reading the files',
  parse: 'Reading the graph',
  tap: 'Finding the taps and the image embedding',
  variants: 'Building and checking the smaller variants',
};

const FAMILIES: Array<{ value: VitFamily | ''; label: string }> = [
  { value: '', label: 'Find out from the graph' },
  { value: 'clip', label: 'CLIP (CLIPVisionModel, with or without projection)' },
  { value: 'dinov2', label: 'DINOv2 (Dinov2Model)' },
  { value: 'dino', label: 'DINO v1' },
];

function progressText(p: AddModelProgress | null): string {
  if (!p) return 'Starting…';
  if (p.stage === 'read') return `${STAGE_TEXT.read}: ${(p.done / 1e6).toFixed(0)} of ${(p.total / 1e6).toFixed(0)} MB`;
  return p.total > 0 ? `${STAGE_TEXT[p.stage]} (${p.done}/${p.total})` : `${STAGE_TEXT[p.stage]}…`;
}

/** What was stored, and whether the browser keeps it (null: still asking). */
function addedText({ manifest, bytes }: AddedModel, persisted: boolean | null): string {
  const kept =
    persisted === null
      ? '; asking this browser to keep it in persistent storage'
      : persisted
        ? ', kept in persistent storage'
        : '; the browser may evict it when disk space runs low';
  return `Added "${manifest.displayName}" (${manifest.family}, ${(bytes / 1e6).toFixed(1)} MB stored${kept}). It is now the model in use and works offline.`;
}

/**
 * Settings → "Add a model…": an ONNX export of a CLIP or DINO vision model, picked or dropped,
 * is tapped, checked, quantized and stored in this browser by the worker (worker/addModel.ts).
 */
export function AddModelDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (id: string) => Promise<void> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [files, setFiles] = useState<ExportFiles | null>(null);
  const [name, setName] = useState('');
  const [family, setFamily] = useState<VitFamily | ''>('');
  const [size, setSize] = useState('');
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    return () => running.current?.abort();
  }, []);

  const choose = (chosen: FileList | null) => {
    const picked = exportFiles([...(chosen ?? [])]);
    if (!picked) return;
    setFiles(picked);
    if (!name) setName(picked.file.name.replace(/\.onnx$/i, ''));
    setStatus({ state: 'idle' });
  };

  const add = async () => {
    if (!files) return;
    const controller = new AbortController();
    running.current = controller;
    setStatus({ state: 'working', progress: null });
    try {
      const { model, lines } = await workerClient.call(
        'add-model',
        { ...files, name, family: family || null, size: size ? Number(size) : null },
        { signal: controller.signal, onProgress: (progress) => setStatus({ state: 'working', progress }) },
      );
      // Not awaited: Firefox asks the user first, and the answer may come much later or never.
      const asked = 'storage' in navigator && 'persist' in navigator.storage ? navigator.storage.persist() : null;
      setStatus({ state: 'done', added: model, lines, persisted: asked ? null : false });
      const answered = (persisted: boolean) => setStatus((s) => (s.state === 'done' ? { ...s, persisted } : s));
      asked?.then(answered, () => answered(false));
      await onAdded(model.manifest.id);
    } catch (err) {
      const cancelled = err instanceof WorkerCallError && err.code === 'cancelled';
      setStatus(
        cancelled ? { state: 'idle' } : { state: 'error', text: err instanceof Error ? err.message : String(err) },
      );
    } finally {
      running.current = null;
    }
  };

  const working = status.state === 'working';
  return (
    <dialog
      ref={dialog}
      className="add-model"
      aria-label="Add a model"
      data-testid="add-model-dialog"
      onCancel={(e) => {
        if (working) e.preventDefault();
        else onClose();
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        if (!working) choose(e.dataTransfer.files);
      }}
    >
      <h2>Add a model</h2>
      <p className="help">
        An ONNX export of a CLIP or DINO vision transformer (Hugging Face <code>CLIPVisionModelWithProjection</code>,{' '}
        <code>CLIPVisionModel</code> or <code>Dinov2Model</code>, exported by optimum or <code>torch.onnx</code>). It is
        checked, quantized and stored in this browser only; nothing is uploaded. Pick the file or drop it here; an
        export whose weights are in separate data files (such as <code>model.onnx_data</code>) is picked or dropped with
        them.
      </p>
      <label className="field">
        ONNX file
        <input
          type="file"
          accept=".onnx,.onnx_data,.data,.bin,application/octet-stream"
          disabled={working}
          data-testid="add-model-file"
          multiple
          onChange={(e) => choose(e.target.files)}
        />
      </label>
      {files && files.dataFiles.length > 0 && (
        <p className="muted" data-testid="add-model-data-files">
          {files.file.name} with its data {files.dataFiles.length === 1 ? 'file' : 'files'}{' '}
          {files.dataFiles.map((f) => f.name).join(', ')}
        </p>
      )}
      <label className="field">
        Name
        <input
          type="text"
          value={name}
          disabled={working}
          placeholder="e.g. DINOv2 small"
          data-testid="add-model-name"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        Family
        <select value={family} disabled={working} onChange={(e) => setFamily(e.target.value as VitFamily | '')}>
          {FAMILIES.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Input size in pixels (only for an export that takes any size)
        <input
          type="number"
          min={1}
          step={1}
          value={size}
          disabled={working}
          placeholder="from the model"
          data-testid="add-model-size"
          onChange={(e) => setSize(e.target.value)}
        />
      </label>
      {status.state !== 'idle' && (
        <div className={`add-model-status ${status.state}`} data-testid="add-model-status" data-state={status.state}>
          {status.state === 'working' && (
            <>
              <p>{progressText(status.progress)}</p>
              <progress
                value={status.progress?.done ?? 0}
                max={status.progress?.total || 1}
                aria-label="Adding the model"
              />
            </>
          )}
          {status.state === 'done' && (
            <>
              <p>{addedText(status.added, status.persisted)}</p>
              <ul className="muted">
                {status.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
          {status.state === 'error' && <p className="error">{status.text}</p>}
        </div>
      )}
      <div className="dialog-actions">
        {working ? (
          <button type="button" onClick={() => running.current?.abort()} data-testid="add-model-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="ghost" onClick={onClose} data-testid="add-model-close">
            {status.state === 'done' ? 'Close' : 'Cancel'}
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={!files || working}
          onClick={() => void add()}
          data-testid="add-model-confirm"
        >
          Add
        </button>
      </div>
    </dialog>
  );
}
