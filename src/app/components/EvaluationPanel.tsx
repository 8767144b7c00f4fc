import type { Evaluation } from '../../worker/protocol.ts';
import { formatMetric } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import { RocChart } from './RocChart.tsx';
import { ThresholdOutcome } from './ThresholdOutcome.tsx';

const ROWS: Array<{ label: string; key: 'auroc' | 'ap' | 'f1Max' }> = [
  { label: 'AUROC', key: 'auroc' },
  { label: 'AP', key: 'ap' },
  { label: 'F1-max', key: 'f1Max' },
];

/** Metrics against the folder's ground truth (MVTec layout), from the engine's metrics code. */
export function EvaluationPanel({ evaluation, results }: { evaluation: Evaluation; results: BatchResults | null }) {
  return (
    <section className="evaluation" aria-label="Evaluation against ground truth" data-testid="evaluation">
      <div className="evaluation-text">
        <h2>Evaluation against ground truth</h2>
        <table className="metrics">
          <thead>
            <tr>
              <th />
              <th>Image</th>
              <th>Pixel</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(({ label, key }) => (
              <tr key={key}>
                <th>{label}</th>
                <td data-testid={`image-${key}`}>{formatMetric(evaluation.image[key])}</td>
                <td data-testid={`pixel-${key}`}>{formatMetric(evaluation.pixel[key])}</td>
              </tr>
            ))}
            <tr>
              <th>AUPRO</th>
              <td />
              <td data-testid="pixel-aupro">{formatMetric(evaluation.pixel.aupro)}</td>
            </tr>
          </tbody>
        </table>
        <p className="help">
          In %, as MuSc reports them: labels from the folder names (good = normal), masks from ground_truth/, pixels at
          the map size (MVTec mask rule).
        </p>
      </div>
      <RocChart roc={evaluation.roc} auroc={formatMetric(evaluation.image.auroc)} />
      {results && <ThresholdOutcome results={results} />}
    </section>
  );
}
