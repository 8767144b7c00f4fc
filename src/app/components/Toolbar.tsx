import { useState } from 'react';
import type { ModelManifest } from '../../encoders/manifest.ts';
import { isBusy, useBatchStore } from '../batch/batchStore.ts';
import { loose } from '../intake/collect.ts';
import { fetchDemoSet } from '../intake/demo.ts';
import { addFiles, clearBatch, runBatch } from '../run/controller.ts';
import { changedSinceScored } from '../results/results.ts';
import { resolveSettings } from '../run/settings.ts';
import { useUiStore } from '../store.ts';
import { ExportButton } from './ExportButton.tsx';
import { FilePickers } from './FilePickers.tsx';
import { ReferenceIntake } from './ReferenceIntake.tsx';

/** The page's own pickers: images, videos or a folder, to inspect. */
export function ImagePickers({ manifest, primary }: { manifest: ModelManifest | undefined; primary?: boolean }) {
  return (
    <FilePickers
      manifest={manifest}
      labels={{ files: 'Add images…', folder: 'Add folder…' }}
      testIds={{ files: 'file-input', folder: 'folder-input' }}
      primary={primary}
    />
  );
}

export function DemoButton({ manifest, className }: { manifest: ModelManifest | undefined; className?: string }) {
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    setError(null);
    try {
      await addFiles(loose(await fetchDemoSet()), manifest);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={() => void load()} data-testid="demo">
        Try the demo set
      </button>
      {error && <span className="error">{error}</span>}
    </>
  );
}

/** Batch actions: add (as images to inspect or as known-good references), run, export, clear. */
export function Toolbar({ manifest }: { manifest: ModelManifest | undefined }) {
  const count = useBatchStore((s) => s.images.length);
  const references = useBatchStore((s) => s.images.filter((i) => i.role === 'reference').length);
  const phase = useBatchStore((s) => s.run.phase);
  const checking = useBatchStore((s) => s.run.checkingFiles);
  const scoredWith = useBatchStore((s) => s.scoredWith);
  const changed = useBatchStore((s) => changedSinceScored(s.images, s.scores));
  const backend = useUiStore((s) => s.backendPreference);
  const settings = useUiStore((s) => s.settings);
  const busy = isBusy(phase);
  const stale =
    !busy &&
    manifest &&
    scoredWith &&
    JSON.stringify(resolveSettings(manifest, backend, settings)) !== JSON.stringify(scoredWith);
  return (
    <div className="toolbar">
      <ImagePickers manifest={manifest} />
      <DemoButton manifest={manifest} />
      <span className="muted">or drop files / folders, or paste (Ctrl+V)</span>
      <ReferenceIntake manifest={manifest} />
      <div className="spacer" />
      {checking && <span className="muted">Checking files…</span>}
      {stale && <span className="stale">Settings changed since this batch was scored: Run to apply them.</span>}
      {!busy && !stale && changed > 0 && (
        <span className="stale" data-testid="changed-since-scored">
          {changed} image{changed === 1 ? '' : 's'} added or re-marked since the last scores: Run to score them.
        </span>
      )}
      <span className="muted">
        {count} image{count === 1 ? '' : 's'}
        {references > 0 && ` (${references} known good)`}
      </span>
      <button
        type="button"
        className="primary"
        disabled={!manifest || busy || count === 0}
        onClick={() => manifest && void runBatch(manifest)}
        data-testid="run"
      >
        Run
      </button>
      <ExportButton />
      <button type="button" disabled={count === 0} onClick={() => void clearBatch()} data-testid="clear">
        Clear batch
      </button>
    </div>
  );
}
