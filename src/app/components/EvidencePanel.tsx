import { useQuery } from '@tanstack/react-query';
import type { BatchScores } from '../../worker/protocol.ts';
import type { BatchResults, ImageResult } from '../results/results.ts';
import { formatDistance } from '../results/format.ts';
import { workerClient } from '../workerClient.ts';
import { PatchCrop } from './PatchCrop.tsx';

/** Nearest images shown side by side with the patch. */
const SHOWN = 3;

const scoreIds = new WeakMap<BatchScores, number>();
let lastId = 0;
/** One id per scored batch, so evidence is asked again after the batch is scored again. */
function scoresId(scores: BatchScores): number {
  if (!scoreIds.has(scores)) scoreIds.set(scores, ++lastId);
  return scoreIds.get(scores) as number;
}

export function gridPosition(patch: number, grid: number): string {
  return `row ${Math.floor(patch / grid) + 1}, column ${(patch % grid) + 1}`;
}

/** The evidence in one sentence, from the measured distances only. */
export function evidenceSentence(distance: number, usual: number, scorers: number): string {
  const among = scorers === 1 ? 'the one image that scores it' : `the ${scorers} images that score it`;
  const ratio = distance / usual;
  const how = ratio >= 1 ? `${ratio.toFixed(1)}× farther than usual` : `nearer than usual (${ratio.toFixed(2)}×)`;
  return `Its closest match among ${among} is ${how}: distance ${formatDistance(distance)}, where this image's typical patch finds one at ${formatDistance(usual)}.`;
}

interface Props {
  results: BatchResults;
  row: ImageResult;
  scores: BatchScores;
  /** the patch to explain, row-major on the grid */
  patch: number;
}

/**
 * Why a patch is anomalous: the images of the batch whose patches come nearest to it, shown
 * side by side with it, and how far the nearest is compared with the image's typical patch's nearest match.
 */
export function EvidencePanel({ results, row, scores, patch }: Props) {
  const { grid } = scores;
  const evidence = useQuery({
    queryKey: ['evidence', scoresId(scores), row.image.key, patch],
    queryFn: async ({ signal }) =>
      (await workerClient.call('evidence', { key: row.image.key, patch, count: SHOWN }, { signal })).evidence,
    staleTime: Infinity,
    retry: false,
  });
  const byKey = new Map(results.rows.map((r) => [r.image.key, r.image]));
  if (evidence.isPending) return <p className="muted">Finding the nearest patches in the batch…</p>;
  if (evidence.isError) return <p className="error">Could not find the evidence: {evidence.error.message}</p>;
  const found = evidence.data;
  if (!found)
    return (
      <p className="muted" data-testid="evidence-missing">
        No evidence for this image: it is not in the batch scored last.
      </p>
    );
  return (
    <section className="evidence" data-testid="evidence">
      <p data-testid="evidence-sentence">{evidenceSentence(found.distance, found.usual, found.scorers)}</p>
      <div className="evidence-crops">
        <figure>
          <PatchCrop blob={row.image.blob} grid={grid} patch={patch} label={`This patch of ${row.image.name}`} />
          <figcaption>this image, {gridPosition(patch, grid)}</figcaption>
        </figure>
        {found.matches.map((match) => {
          const image = byKey.get(match.key);
          if (!image || match.patch === null) return null;
          return (
            <figure key={match.key} data-testid="evidence-match">
              <PatchCrop blob={image.blob} grid={grid} patch={match.patch} label={`Nearest patch in ${image.name}`} />
              <figcaption>
                {image.name}, {gridPosition(match.patch, grid)}, distance {formatDistance(match.distance)}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
