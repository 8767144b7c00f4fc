import { useEffect } from 'react';
import { BackendBadge } from './components/BackendBadge.tsx';
import { useLoadedModel, useModelIndex } from './queries.ts';
import { useUiStore, type AppState } from './store.ts';

function formatLoad(p: { stage: string; done: number; total: number }): string {
  return p.stage === 'download' ? `Downloading model… ${(p.done / 1e6).toFixed(1)} / ${(p.total / 1e6).toFixed(1)} MB` : p.stage === 'compile' ? 'Compiling the model for this device…' : 'Warming up…';
}

export function App() {
  const index = useModelIndex();
  const { modelId, setModelId, backendPreference, setBackendPreference, loadProgress } = useUiStore();
  useEffect(() => {
    if (modelId === null && index.data?.default) setModelId(index.data.default);
  }, [index.data, modelId, setModelId]);
  const model = useLoadedModel(modelId, backendPreference);

  const state: AppState = index.isError || model.isError ? 'error' : model.data ? 'idle' : 'loading-model';
  const error = index.error ?? model.error;

  return (
    <div className="app">
      <header className="topbar">
        <h1>MuScope</h1>
        <span className="tagline">Zero-shot anomaly inspection, entirely in your browser</span>
        <div className="spacer" />
        <label>
          Backend{' '}
          <select value={backendPreference} onChange={(e) => setBackendPreference(e.target.value as typeof backendPreference)}>
            <option value="auto">Auto (WebGPU if available)</option>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM (CPU)</option>
          </select>
        </label>
      </header>
      <main>
        <section className="status" data-testid="status" data-state={state}>
          {state === 'loading-model' && <p>{loadProgress ? formatLoad(loadProgress) : 'Loading the model…'}</p>}
          {state === 'error' && <p className="error">{error instanceof Error ? error.message : String(error)}</p>}
          {model.data && (
            <>
              <p>
                Model <strong data-testid="model">{model.data.modelId}</strong> ready.
              </p>
              <BackendBadge model={model.data} />
            </>
          )}
        </section>
      </main>
    </div>
  );
}
