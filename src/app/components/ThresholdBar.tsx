import { formatScore } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import { OUTLIER_Z } from '../../engine/verdict/batchThreshold.ts';
import { useUiStore } from '../store.ts';

function autoExplanation({ auto }: BatchResults['threshold']): string {
  if (!auto.reference) return 'The scores do not separate into two groups, so no image is flagged.';
  const { median, sigma, size } = auto.reference;
  const base = `Normal reference: the lower ${size} images (median ${formatScore(median)}, robust SD ${formatScore(sigma)}).`;
  return auto.split
    ? `${base} Anomalous: more than ${OUTLIER_Z} SD above, i.e. above ${formatScore(auto.value)}.`
    : `${base} No group stands clearly above it, so no image is flagged.`;
}

/** The verdict threshold: the automatic rule stated in words, a manual slider, live counts. */
export function ThresholdBar({ results }: { results: BatchResults }) {
  const setManualThreshold = useUiStore((s) => s.setManualThreshold);
  const { threshold, counts } = results;
  return (
    <section className="threshold" aria-label="Verdict threshold">
      <div className="threshold-row">
        <span className="counts">
          <span className="count count-anomalous" data-testid="count-anomalous">
            {counts.anomalous} anomalous
          </span>
          <span className="count count-normal" data-testid="count-normal">
            {counts.normal} normal
          </span>
        </span>
        <label className="slider">
          <span>Threshold</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.001}
            value={threshold.value}
            onChange={(e) => setManualThreshold(Number(e.target.value))}
            aria-label="Verdict threshold on the final score"
            data-testid="threshold-slider"
          />
          <output data-testid="threshold-value">{formatScore(threshold.value)}</output>
        </label>
        <span className={`pill pill-${threshold.mode}`}>{threshold.mode === 'auto' ? 'automatic' : 'manual'}</span>
        {threshold.mode === 'manual' && (
          <button type="button" className="link" onClick={() => setManualThreshold(null)}>
            Back to automatic
          </button>
        )}
      </div>
      <p className="help">
        Scores are relative to this batch (0 = least, 1 = most anomalous of it), so verdicts come from a rule on the
        batch, never from a fixed number. <strong>Automatic rule:</strong> {autoExplanation(threshold)}
      </p>
    </section>
  );
}
