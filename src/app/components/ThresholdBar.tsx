import { formatScore } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import { OUTLIER_Z } from '../../engine/verdict/batchThreshold.ts';
import { SCALE_TEXT } from '../../engine/session/judge.ts';
import { useUiStore } from '../store.ts';

function batchExplanation(auto: BatchResults['threshold']['auto']): string {
  if (!auto?.reference) return 'The scores do not separate into two groups, so no image is flagged.';
  const { median, sigma, size } = auto.reference;
  const base = `Normal reference: the lower ${size} images (median ${formatScore(median)}, robust SD ${formatScore(sigma)}).`;
  return auto.split
    ? `${base} Anomalous: more than ${OUTLIER_Z} SD above, i.e. above ${formatScore(auto.value)}.`
    : `${base} No group stands clearly above it, so no image is flagged.`;
}

/** The automatic rule in force, in words, with its numbers. */
function ruleSentence({ threshold }: BatchResults): string {
  if (threshold.rule === 'batch') return batchExplanation(threshold.auto);
  // The worker's sentence; it names the number when the references calibrate one.
  return threshold.mode === 'auto' && threshold.value !== null
    ? `${threshold.ruleText} Threshold: ${formatScore(threshold.value)}.`
    : threshold.ruleText;
}

/** The verdict threshold: the rule in force stated in words, a manual slider, live counts of the findings. */
export function ThresholdBar({ results }: { results: BatchResults }) {
  const setManualThreshold = useUiStore((s) => s.setManualThreshold);
  const { threshold, counts, range, scale } = results;
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
          {counts.notComparable > 0 && (
            <span className="count count-unjudged" data-testid="count-not-comparable">
              {counts.notComparable} not comparable
            </span>
          )}
          {counts.unjudged > 0 && (
            <span className="count count-unjudged" data-testid="count-unjudged">
              {counts.unjudged} without verdict
            </span>
          )}
        </span>
        <label className="slider">
          <span>Threshold</span>
          <input
            type="range"
            min={range.min}
            max={range.max}
            step={(range.max - range.min) / 1000}
            // Without a threshold the knob rests at the top: nothing is above it.
            value={threshold.value ?? range.max}
            onChange={(e) => setManualThreshold(Number(e.target.value))}
            aria-label="Verdict threshold on the score"
            data-testid="threshold-slider"
          />
          <output data-testid="threshold-value">
            {threshold.value === null ? 'none' : formatScore(threshold.value)}
          </output>
        </label>
        <span className={`pill pill-${threshold.mode}`}>{threshold.mode === 'auto' ? 'automatic' : 'manual'}</span>
        {threshold.mode === 'manual' && (
          <button type="button" className="link" onClick={() => setManualThreshold(null)}>
            Back to automatic
          </button>
        )}
      </div>
      <p className="help" data-testid="threshold-rule" data-rule={threshold.rule} data-scale={scale}>
        Scores are {SCALE_TEXT[scale]}.{' '}
        {threshold.mode === 'manual' && threshold.value !== null && (
          <>
            <strong>Manual threshold in force:</strong> images scoring above {formatScore(threshold.value)} are
            anomalous.{' '}
          </>
        )}
        <strong>{threshold.rule === 'references' ? 'Rule from the references:' : 'Automatic rule:'}</strong>{' '}
        {ruleSentence(results)}
        {threshold.screeningRule && (
          <span data-testid="screening-rule">
            {' '}
            <strong>Screening:</strong> {threshold.screeningRule}
          </span>
        )}
      </p>
    </section>
  );
}
