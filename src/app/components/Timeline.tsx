import { useBatchStore } from '../batch/batchStore.ts';
import { formatScore } from '../results/format.ts';
import type { BatchResults } from '../results/results.ts';
import { useUiStore } from '../store.ts';
import { videoTimelines, type VideoTimeline } from '../video/timeline.ts';
import { formatTime, FRAME_RATES, MAX_FRAMES } from '../video/videoFiles.ts';
import { stopSampling } from '../video/videoIntake.ts';
import { useVideoStore } from '../video/videoStore.ts';
import './Timeline.css';

const WIDTH = 1000;
const HEIGHT = 160;
const PAD = { left: 44, right: 12, top: 10, bottom: 24 };

interface ChartProps {
  timeline: VideoTimeline;
  range: { min: number; max: number };
  threshold: number | null;
}

/** One video's frame scores over time, the threshold as a line; a point opens its frame. */
function TimelineChart({ timeline, range, threshold }: ChartProps) {
  const openImage = useUiStore((s) => s.openImage);
  const x = (time: number) =>
    PAD.left + (timeline.end > 0 ? time / timeline.end : 0.5) * (WIDTH - PAD.left - PAD.right);
  const y = (score: number) => {
    const span = range.max - range.min || 1;
    const share = Math.min(1, Math.max(0, (score - range.min) / span));
    return HEIGHT - PAD.bottom - share * (HEIGHT - PAD.top - PAD.bottom);
  };
  const scored = timeline.frames.filter((f) => f.score !== null);
  const line = scored.map((f) => `${x(f.time).toFixed(1)},${y(f.score ?? 0).toFixed(1)}`).join(' ');
  const bottom = HEIGHT - PAD.bottom;
  return (
    <svg
      className="timeline-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="group"
      aria-label={`Frame scores of ${timeline.video} over time`}
    >
      <line className="timeline-axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={bottom} y2={bottom} />
      <text className="timeline-label" x={PAD.left} y={HEIGHT - 6}>
        0 s
      </text>
      <text className="timeline-label" x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end">
        {formatTime(timeline.end)} s
      </text>
      <text className="timeline-label" x={PAD.left - 6} y={y(range.max) + 4} textAnchor="end">
        {formatScore(range.max)}
      </text>
      <text className="timeline-label" x={PAD.left - 6} y={bottom} textAnchor="end">
        {formatScore(range.min)}
      </text>
      {threshold !== null && (
        <line
          className="timeline-threshold"
          data-testid="timeline-threshold"
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={y(threshold)}
          y2={y(threshold)}
        >
          <title>Threshold {formatScore(threshold)}</title>
        </line>
      )}
      {scored.length > 1 && <polyline className="timeline-line" points={line} />}
      {timeline.frames.map((f) => (
        <circle
          key={f.key}
          className={`timeline-point timeline-${f.verdict}`}
          data-testid="frame"
          data-time={f.time}
          data-score={f.score ?? undefined}
          data-verdict={f.verdict}
          cx={x(f.time)}
          cy={f.score === null ? bottom : y(f.score)}
          r={f.score === null ? 3 : 5}
          role="button"
          tabIndex={0}
          aria-label={`Frame at ${formatTime(f.time)} s${f.score === null ? ', waiting for its score' : `, score ${formatScore(f.score)}, ${f.verdict}`}`}
          onClick={() => f.score !== null && openImage(f.key)}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' || e.key === ' ') && f.score !== null) {
              e.preventDefault();
              openImage(f.key);
            }
          }}
        >
          <title>
            {formatTime(f.time)} s{f.score === null ? '' : `: ${formatScore(f.score)}`}
          </title>
        </circle>
      ))}
    </svg>
  );
}

function RateChoice() {
  const rate = useVideoStore((s) => s.rate);
  const setRate = useVideoStore((s) => s.setRate);
  return (
    <label className="timeline-rate">
      Videos: sample{' '}
      <select value={rate} onChange={(e) => setRate(Number(e.target.value))} data-testid="frame-rate">
        {FRAME_RATES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>{' '}
      frames per second, at most {MAX_FRAMES} frames per video (a longer video is sampled less often).
    </label>
  );
}

/**
 * Videos in the batch: the sampling under way, what was done to fit a long one, and a timeline
 * of frame scores per video. Without videos, one line offers the sampling rate.
 */
export function Timeline({ results }: { results: BatchResults | null }) {
  const images = useBatchStore((s) => s.images);
  const sampling = useVideoStore((s) => s.sampling);
  const notes = useVideoStore((s) => s.notes);
  const timelines = videoTimelines(images, results);
  return (
    <section className="timelines" aria-label="Videos">
      <RateChoice />
      {sampling && (
        <p className="timeline-sampling" data-testid="video-sampling" role="status">
          Sampling {sampling.name}: {sampling.done} of {sampling.total} frames…{' '}
          <button type="button" className="link" onClick={stopSampling}>
            Stop
          </button>
        </p>
      )}
      {timelines.map((timeline) => (
        <figure key={timeline.video} className="timeline" data-testid="timeline" data-video={timeline.video}>
          <figcaption>
            <strong>{timeline.video}</strong>: {timeline.frames.length} frames. Click a point to see its frame; the
            dashed line is the threshold.
            {notes[timeline.video] && <span data-testid="video-note"> {notes[timeline.video]}</span>}
          </figcaption>
          <TimelineChart
            timeline={timeline}
            range={results?.range ?? { min: 0, max: 1 }}
            threshold={results?.threshold.value ?? null}
          />
        </figure>
      ))}
    </section>
  );
}
