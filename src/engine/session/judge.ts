// Scores and verdicts of a session's queries, on the scale its mode allows. With references the
// score is the raw map maximum (distance units) and the threshold comes from the references
// (verdict/referenceThreshold.ts): a verdict depends only on the image and the references.
// Pure mutual scoring keeps MuSc's batch-relative score (min-max over the queries, then RsCIN)
// and the batch rule (verdict/batchThreshold.ts): those verdicts move with the batch.
// Either way the batch is screened first (docs/method.md §19): an image that is not comparable is
// kept out of the normalisation and the threshold's statistics and gets that verdict, and a group
// of near-duplicates gives the statistics one value.

import { finalImageScores, type FinalScores } from '../rscin.ts';
import { scoreOutsideBatch, statisticsValues, verdictScores, type ScreeningNote } from '../screening/notes.ts';
import { SCREENING_RULE } from '../screening/screen.ts';
import { autoThreshold, THRESHOLD_RULE, verdictOf, type Verdict } from '../verdict/batchThreshold.ts';
import { MIN_CALIBRATION_REFERENCES, REFERENCE_RULE, referenceThreshold } from '../verdict/referenceThreshold.ts';
import type { ScoringMode } from './scorers.ts';
import type { ScoredImage, SessionState } from './session.ts';

export type ScoreScale = 'distance' | 'batch-relative';

export const SCALE_TEXT: Record<ScoreScale, string> = {
  distance: 'distance to the known-good references (fixed scale: comparable across batches)',
  'batch-relative':
    'relative to this batch (min-max then RsCIN: 1 = most anomalous here, not comparable across batches)',
};

export interface Finding {
  id: string;
  /** null while the image cannot be scored yet */
  score: number | null;
  verdict: Verdict | null;
  screening: ScreeningNote;
}

export interface Judgement {
  mode: ScoringMode;
  scale: ScoreScale;
  /** anomalous when the score is strictly above; null when no threshold can be set yet */
  threshold: number | null;
  /** the rule in one sentence, or why there is no verdict yet */
  rule: string;
  /** how the batch was screened for near-duplicates and images that are not comparable, in one sentence */
  screeningRule: string;
  /** queries only (references are never findings), in session order */
  findings: Finding[];
  references: number;
  /** RsCIN windows applied to batch-relative scores; empty otherwise */
  rscinWindows: number[];
}

function batchRelative(
  queries: readonly ScoredImage[],
  kList: readonly number[],
  forceSmallBatch: boolean,
): FinalScores {
  const embedDim = queries[0]?.embedding?.length ?? 0;
  let embeddings: Float32Array | null = null;
  if (embedDim > 0) {
    embeddings = new Float32Array(queries.length * embedDim);
    queries.forEach((q, i) => q.embedding && embeddings?.set(q.embedding, i * embedDim));
  }
  return finalImageScores(
    queries.map((q) => q.rawScore ?? 0),
    embeddings,
    embedDim,
    kList,
    forceSmallBatch,
  );
}

function judgeMutual(queries: readonly ScoredImage[], kList: readonly number[], forceSmallBatch: boolean): Judgement {
  const base = { mode: 'mutual', scale: 'batch-relative', references: 0, screeningRule: SCREENING_RULE } as const;
  if (queries.length === 0 || queries.some((q) => q.rawScore === null)) {
    return {
      ...base,
      rscinWindows: [],
      threshold: null,
      rule: 'Waiting for at least 5 images: mutual scoring compares each image with the others.',
      findings: queries.map((q) => ({ id: q.id, score: null, verdict: null, screening: q.screening })),
    };
  }
  const comparable = queries.filter((q) => !q.screening.notComparable);
  const { scores, windows } = batchRelative(comparable, kList, forceSmallBatch);
  const final = new Map(comparable.map((q, i) => [q.id, scores[i]]));
  const comparableRaw = comparable.map((q) => q.rawScore ?? 0);
  const scoreOf = (q: ScoredImage): number => final.get(q.id) ?? scoreOutsideBatch(q.rawScore ?? 0, comparableRaw);
  const notes = queries.map((q) => q.screening);
  const threshold = autoThreshold(statisticsValues(queries.map(scoreOf), notes)).value;
  const onVerdict = verdictScores(queries.map(scoreOf), notes);
  return {
    ...base,
    rscinWindows: windows,
    threshold,
    rule: THRESHOLD_RULE,
    findings: queries.map((q, i) => ({
      id: q.id,
      score: scoreOf(q),
      verdict: q.screening.notComparable ? 'not-comparable' : verdictOf(onVerdict[i], threshold),
      screening: q.screening,
    })),
  };
}

const ALSO_MUTUAL = ' The other images score each image too, so these verdicts move with the batch.';

function judgeAgainstReferences(
  mode: ScoringMode,
  queries: readonly ScoredImage[],
  references: readonly ScoredImage[],
): Judgement {
  const calibrating = references.filter((r) => r.rawScore !== null);
  const leaveOneOut = statisticsValues(
    calibrating.map((r) => r.rawScore ?? 0),
    calibrating.map((r) => r.screening),
  );
  const calibrated = referenceThreshold(leaveOneOut);
  const threshold = calibrated?.value ?? null;
  const onVerdict = verdictScores(
    queries.map((q) => q.rawScore ?? 0),
    queries.map((q) => q.screening),
  );
  return {
    mode,
    scale: 'distance',
    threshold,
    screeningRule: SCREENING_RULE,
    rule:
      (calibrated
        ? REFERENCE_RULE
        : `Mark at least ${MIN_CALIBRATION_REFERENCES} known-good references to calibrate a threshold; until then images get scores but no verdict.`) +
      (mode === 'mutual' ? ALSO_MUTUAL : ''),
    findings: queries.map((q, i) => ({
      id: q.id,
      score: q.rawScore,
      verdict: q.screening.notComparable
        ? 'not-comparable'
        : threshold === null || q.rawScore === null
          ? null
          : verdictOf(onVerdict[i], threshold),
      screening: q.screening,
    })),
    references: references.length,
    rscinWindows: [],
  };
}

export function judge(state: SessionState, kList: readonly number[], forceSmallBatch: boolean): Judgement {
  const queries = state.images.filter((i) => i.role === 'query');
  const references = state.images.filter((i) => i.role === 'reference');
  return references.length > 0
    ? judgeAgainstReferences(state.mode, queries, references)
    : judgeMutual(queries, kList, forceSmallBatch);
}
