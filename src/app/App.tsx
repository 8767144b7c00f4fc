import { useEffect } from 'react';
import { isBusy, useBatchStore, type RunPhase } from './batch/batchStore.ts';
import { CameraMode } from './camera/CameraMode.tsx';
import { DetailView } from './components/DetailView.tsx';
import { DropZone } from './components/DropZone.tsx';
import { EmptyState } from './components/EmptyState.tsx';
import { EvaluationPanel } from './components/EvaluationPanel.tsx';
import { Gallery } from './components/Gallery.tsx';
import { OfflineBadge } from './components/OfflineBadge.tsx';
import { SettingsPanel } from './components/SettingsPanel.tsx';
import { SkippedList } from './components/SkippedList.tsx';
import { StatusPanel } from './components/StatusPanel.tsx';
import { ThresholdBar } from './components/ThresholdBar.tsx';
import { Timeline } from './components/Timeline.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { filesFromClipboard, loose } from './intake/collect.ts';
import { isAddedModel } from '../platform/browser/addedModels.ts';
import { useAddedModels, useLoadedModel, useModelIndex, useModelManifest } from './queries.ts';
import { useKeyboardNavigation } from './results/useKeyboardNavigation.ts';
import { useResults } from './results/useResults.ts';
import { addFiles, restoreBatch } from './run/controller.ts';
import { useUiStore } from './store.ts';

export function App() {
  const index = useModelIndex();
  const added = useAddedModels();
  const { modelId, setModelId, backendPreference, settings, settingsOpen, setSettingsOpen, openKey } = useUiStore();
  useEffect(() => {
    // None chosen yet, or a remembered added model that is gone from this browser's storage.
    const gone =
      modelId !== null && isAddedModel(modelId) && added.data && !added.data.some((m) => m.manifest.id === modelId);
    if ((modelId === null || gone) && index.data?.default) setModelId(index.data.default);
  }, [index.data, added.data, modelId, setModelId]);
  const manifest = useModelManifest(modelId);
  const model = useLoadedModel(modelId, backendPreference, settings.variant);
  const images = useBatchStore((s) => s.images.length);
  const restored = useBatchStore((s) => s.restored);
  const phase = useBatchStore((s) => s.run.phase);
  const evaluation = useBatchStore((s) => s.evaluation);
  const results = useResults();
  useKeyboardNavigation(results);

  useEffect(() => void restoreBatch(), []);
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (e.clipboardData?.files.length) void addFiles(loose(filesFromClipboard(e.clipboardData)), manifest.data);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [manifest.data]);

  const modelError = index.error ?? manifest.error ?? model.error;
  // A run in progress speaks for itself; otherwise the model's load or failure (after a switch of
  // model, or the worker's crash) comes before the last run's outcome.
  const state: RunPhase = isBusy(phase) ? phase : modelError ? 'error' : model.data ? phase : 'loading-model';

  return (
    <div className="app">
      <header className="topbar">
        <h1>MuScope</h1>
        <span className="tagline">Zero-shot anomaly inspection, entirely in your browser</span>
        <div className="spacer" />
        <OfflineBadge />
        <button
          type="button"
          className={`ghost${settingsOpen ? ' active' : ''}`}
          onClick={() => setSettingsOpen(!settingsOpen)}
          aria-expanded={settingsOpen}
          data-testid="settings-toggle"
        >
          Settings
        </button>
      </header>
      <StatusPanel state={state} model={model.data} modelError={modelError} manifest={manifest.data} />
      <div className="workspace">
        <main>
          <CameraMode manifest={manifest.data} />
          <DropZone manifest={manifest.data}>
            {images > 0 && <Toolbar manifest={manifest.data} />}
            <SkippedList />
            <Timeline results={results} />
            {images === 0 ? (
              restored && <EmptyState manifest={manifest.data} />
            ) : (
              <>
                {results && <ThresholdBar results={results} />}
                {evaluation && <EvaluationPanel evaluation={evaluation} results={results} />}
                <Gallery results={results} manifest={manifest.data} />
              </>
            )}
          </DropZone>
        </main>
        {settingsOpen && <SettingsPanel manifest={manifest.data} />}
      </div>
      {results && openKey && <DetailView results={results} />}
    </div>
  );
}
