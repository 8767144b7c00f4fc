import { useState } from 'react';
import { useBatchStore } from '../batch/batchStore.ts';
import { exportBatch } from '../export/exportBatch.ts';
import { useResults } from '../results/useResults.ts';
import { useUiStore } from '../store.ts';

const FILE_NAME = 'muscope-results.zip';

/** Builds the zip (with the known-good references' images) and hands it over through a download link. */
export function ExportButton() {
  const results = useResults();
  const scores = useBatchStore((s) => s.scores);
  const scoredWith = useBatchStore((s) => s.scoredWith);
  const evaluation = useBatchStore((s) => s.evaluation);
  const view = useUiStore((s) => s.view);
  const [state, setState] = useState<{ building: boolean; error: string | null }>({ building: false, error: null });
  const ready = results && scores && scoredWith;

  const build = async () => {
    if (!ready) return;
    setState({ building: true, error: null });
    try {
      const zip = await exportBatch({
        results,
        scores,
        settings: scoredWith,
        view,
        evaluation,
        thresholdRule: results.threshold.ruleText,
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(zip);
      link.download = FILE_NAME;
      link.click();
      // The browser has taken the file once the click's task is done.
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setState({ building: false, error: null });
    } catch (err) {
      setState({ building: false, error: `Export failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  return (
    <>
      <button type="button" disabled={!ready || state.building} onClick={() => void build()} data-testid="export">
        {state.building ? 'Exporting…' : 'Export zip'}
      </button>
      {state.error && <span className="error">{state.error}</span>}
    </>
  );
}
