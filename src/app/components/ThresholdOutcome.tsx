import type { BatchResults } from '../results/results.ts';
import { formatScore } from '../results/format.ts';

/** With ground truth: what the threshold in force catches and what it wrongly flags (findings only). */
export function ThresholdOutcome({ results }: { results: BatchResults }) {
  const labelled = results.findings.filter((r) => r.image.truth);
  const defective = labelled.filter((r) => r.image.truth?.anomalous);
  const good = labelled.filter((r) => !r.image.truth?.anomalous);
  const caught = defective.filter((r) => r.verdict === 'anomalous').length;
  const falseAlarms = good.filter((r) => r.verdict === 'anomalous').length;
  return (
    <div className="confusion" data-testid="threshold-outcome">
      <h3>
        At the threshold in force (
        {results.threshold.value === null ? 'none yet: no verdicts' : formatScore(results.threshold.value)})
      </h3>
      <p>
        <strong>{caught}</strong> of {defective.length} defective images flagged
      </p>
      <p>
        <strong>{falseAlarms}</strong> of {good.length} good images flagged (false alarms)
      </p>
    </div>
  );
}
