import type { Region } from '../../engine/findings/regions.ts';
import { describeRegion } from '../../engine/findings/sentence.ts';
import { PIXEL_THRESHOLD_RULE } from '../../engine/findings/threshold.ts';
import type { BatchScores } from '../../worker/protocol.ts';
import { findingsOf } from '../results/findings.ts';
import { formatDistance } from '../results/format.ts';
import type { BatchResults, ImageResult } from '../results/results.ts';
import { EvidencePanel } from './EvidencePanel.tsx';

/** Regions given their own evidence; the rest are listed. */
const WITH_EVIDENCE = 3;

/** The hottest patch of the grid that overlaps the region's box: what the evidence explains. */
function regionPatch(scores: BatchScores, row: ImageResult, region: Region): number {
  const { grid } = scores;
  const { width, height } = row.image;
  const [x, y, w, h] = region.bbox;
  const cells = (from: number, size: number, side: number) => [
    Math.floor((from / side) * grid),
    Math.min(grid - 1, Math.floor(((from + size - 1) / side) * grid)),
  ];
  const [c0, c1] = cells(x, w, width);
  const [r0, r1] = cells(y, h, height);
  const own = scores.patchScores.subarray(row.index * grid * grid, (row.index + 1) * grid * grid);
  let best = r0 * grid + c0;
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (own[r * grid + c] > own[best]) best = r * grid + c;
  return best;
}

/** What was found on one image: its sentence, its regions with their numbers, and the evidence for each. */
export function FindingsPanel({
  results,
  row,
  scores,
}: {
  results: BatchResults;
  row: ImageResult;
  scores: BatchScores;
}) {
  const found = findingsOf(scores, row, results.threshold.pixel.value);
  return (
    <section className="findings" data-testid="findings">
      <h3>Findings</h3>
      <p data-testid="findings-sentence">{found.sentence}</p>
      <ol className="regions">
        {found.regions.map((region, n) => (
          <li key={n} data-testid="region" data-bbox={region.bbox.join(',')} data-area={region.area}>
            <p data-testid="region-sentence">{describeRegion(region)}</p>
            <p className="muted">
              box {region.bbox[2]}×{region.bbox[3]} px at ({region.bbox[0]}, {region.bbox[1]}), {region.area} px; peak{' '}
              {formatDistance(region.peak)}, mean {formatDistance(region.mean)}, elongation{' '}
              {region.elongation.toFixed(1)}
            </p>
            {n < WITH_EVIDENCE && (
              <EvidencePanel results={results} row={row} scores={scores} patch={regionPatch(scores, row, region)} />
            )}
          </li>
        ))}
      </ol>
      <p className="help">
        Regions: pixels above this image&apos;s threshold ({formatDistance(found.threshold)}), at its own size. Rule:{' '}
        {PIXEL_THRESHOLD_RULE} Normal level {formatDistance(results.threshold.pixel.value)}, from{' '}
        {results.threshold.pixel.images} {results.threshold.pixel.basis}.
      </p>
    </section>
  );
}
