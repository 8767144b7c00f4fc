import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ADDED_MODELS_KEY, useAddedModels, useModelIndex } from '../queries.ts';
import { useUiStore } from '../store.ts';
import { workerClient } from '../workerClient.ts';
import { AddModelDialog } from './AddModelDialog.tsx';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;

/** The installed models and those added in this browser, one button each; adding and removing. */
export function ModelPicker() {
  const index = useModelIndex();
  const added = useAddedModels();
  const queryClient = useQueryClient();
  const { modelId, setModelId } = useUiStore();
  const [adding, setAdding] = useState(false);
  const [removed, setRemoved] = useState<string | null>(null);

  const remove = async (id: string, name: string) => {
    try {
      const { freedBytes } = await workerClient.call('remove-model', { id });
      setRemoved(`Removed "${name}": ${mb(freedBytes)} freed.`);
    } catch (err) {
      setRemoved(
        `"${name}" could not be removed (${err instanceof Error ? err.message : String(err)}). Reload the page and try again.`,
      );
    }
    if (modelId === id && index.data?.default) setModelId(index.data.default);
    await queryClient.invalidateQueries({ queryKey: ADDED_MODELS_KEY });
  };

  const option = (id: string, label: string, note: string | null) => (
    <button
      type="button"
      role="radio"
      aria-checked={id === modelId}
      className={`model-option${id === modelId ? ' chosen' : ''}`}
      data-testid="model-option"
      data-model-id={id}
      onClick={() => setModelId(id)}
    >
      {label}
      {note && <span className="muted"> {note}</span>}
    </button>
  );

  return (
    <div className="model-picker">
      <div role="radiogroup" aria-label="Model" className="model-options">
        {index.data?.models.map((m) => (
          <div key={m.id} className="model-row">
            {option(m.id, m.displayName, m.fixture ? '(test fixture)' : null)}
          </div>
        ))}
        {added.data?.map(({ manifest, bytes }) => (
          <div key={manifest.id} className="model-row">
            {option(manifest.id, manifest.displayName, `(added, ${manifest.family}, ${mb(bytes)})`)}
            <button
              type="button"
              className="link"
              data-testid="remove-model"
              data-model-id={manifest.id}
              onClick={() => void remove(manifest.id, manifest.displayName)}
            >
              Remove
            </button>
          </div>
        ))}
      </div>
      {added.error && <p className="error">Models added in this browser could not be listed: {added.error.message}</p>}
      {removed && (
        <p className="muted" data-testid="model-removed">
          {removed}
        </p>
      )}
      <button type="button" className="ghost" data-testid="add-model" onClick={() => setAdding(true)}>
        Add a model…
      </button>
      {adding && (
        <AddModelDialog
          onClose={() => setAdding(false)}
          onAdded={async (id) => {
            setRemoved(null);
            await queryClient.invalidateQueries({ queryKey: ADDED_MODELS_KEY });
            setModelId(id);
          }}
        />
      )}
    </div>
  );
}
