// A scored batch as the gallery, the detail view and the exports see it: one row per scored image
// with its score, rank and verdict under the threshold in force. Pure, so the screen and the
// export are computed by the same code.
// Rows are matched to the scores by key, not by position: while a grown, shrunk or re-marked
// batch is being scored again, the last scores stay shown and new images wait as pending.
import type { BatchScores, ImageRole, ScoreScale } from '../../worker/protocol.ts';
import type { BatchImage } from '../batch/types.ts';
import { imageThreshold, normalLevel, type NormalLevel } from '../../engine/findings/threshold.ts';
import {
  screeningText,
  statisticsValues,
  unscreened,
  verdictScores,
  type ScreeningNote,
} from '../../engine/screening/notes.ts';
import {
  autoThreshold,
  THRESHOLD_RULE,
  verdictOf,
  type AutoThreshold,
  type Verdict,
} from '../../engine/verdict/batchThreshold.ts';

/** A finding's verdict; 'reference' for known-good references; 'unjudged' when no threshold can be set yet. */
export type RowVerdict = Verdict | 'reference' | 'unjudged';

export const VERDICT_TEXT: Record<RowVerdict, string> = {
  normal: 'normal',
  anomalous: 'anomalous',
  reference: 'known good',
  unjudged: 'no verdict',
  'not-comparable': 'not comparable',
};

export interface ImageResult {
  image: BatchImage;
  /** position in the worker's score arrays (scores.keys) */
  index: number;
  role: ImageRole;
  /** 1 = most anomalous, within its group (findings, or references) */
  rank: number;
  score: number;
  /** max of the anomaly map, in feature-distance units */
  mapMax: number;
  verdict: RowVerdict;
  /** pixels hotter than this are its regions, outlined and exported as its mask (engine findings/threshold.ts) */
  pixelThreshold: number;
  /** its near-duplicates and comparability (engine screening/) */
  screening: ScreeningNote;
  /** "near-duplicate of good_010.png", why it is not comparable, or null */
  screeningText: string | null;
}

export interface ThresholdInForce {
  /** findings scoring strictly above are anomalous; null: no verdict (too few references to calibrate) */
  value: number | null;
  mode: 'auto' | 'manual';
  /** the automatic rule: the batch's own gap, or the threshold the references calibrate */
  rule: 'batch' | 'references';
  /** the automatic rule in words (THRESHOLD_RULE, or the worker's sentence for the references) */
  ruleText: string;
  /** the batch rule's numbers; null under the references' rule */
  auto: AutoThreshold | null;
  /** the batch's normal map level: each image's pixel threshold lies between it and the image's peak */
  pixel: NormalLevel;
  /** how the batch was screened for near-duplicates and images that are not comparable; null when it was not */
  screeningRule: string | null;
}

export interface BatchResults {
  scale: ScoreScale;
  /** findings first (most anomalous first), then the references: the gallery's order */
  rows: ImageResult[];
  findings: ImageResult[];
  references: ImageResult[];
  /** images of the batch the scores do not cover yet, in batch order */
  pending: BatchImage[];
  threshold: ThresholdInForce;
  /** findings only: references are never counted */
  counts: { normal: number; anomalous: number; unjudged: number; notComparable: number };
  /** score range for the slider and the score bars */
  range: { min: number; max: number };
}

/**
 * Images whose current scores are out of date: not scored yet, or marked (un)known-good since.
 * Removed images need no count: their old scores are simply not shown.
 */
export function changedSinceScored(images: readonly BatchImage[], scores: BatchScores | null): number {
  if (!scores) return 0;
  const position = new Map(scores.keys.map((key, i) => [key, i]));
  return images.filter((image) => {
    const index = position.get(image.key);
    return index === undefined || (scores.roles?.[index] ?? 'query') !== (image.role ?? 'query');
  }).length;
}

const byScore = (a: { score: number; index: number }, b: { score: number; index: number }) =>
  b.score - a.score || a.index - b.index;

/**
 * Batch-relative scores lie in [0, 1]. Distances have no fixed top: the range ends a little above
 * the highest score or threshold shown, so every card's bar and the threshold mark fit.
 */
function rangeOf(scale: ScoreScale, values: readonly number[]): { min: number; max: number } {
  if (scale === 'batch-relative') return { min: 0, max: 1 };
  const top = Math.max(0, ...values.filter(Number.isFinite));
  return { min: 0, max: top > 0 ? top * 1.1 : 1 };
}

export function buildResults(
  images: readonly BatchImage[],
  scores: BatchScores,
  manualThreshold: number | null,
): BatchResults {
  const position = new Map(scores.keys.map((key, i) => [key, i]));
  const pending: BatchImage[] = [];
  const scored: Array<Omit<ImageResult, 'rank' | 'verdict' | 'pixelThreshold' | 'screeningText'>> = [];
  const nameOf = new Map(images.map((image) => [image.key, image.name]));
  for (const image of images) {
    const index = position.get(image.key);
    if (index === undefined) pending.push(image);
    else
      scored.push({
        image,
        index,
        // The mark the user set wins at once; the scores catch up when the batch is scored again.
        role: image.role ?? 'query',
        score: scores.imageScores[index],
        mapMax: scores.imageScoresRaw[index],
        screening: scores.screening?.[index] ?? unscreened(image.key),
      });
  }
  const queries = scored.filter((r) => r.role === 'query').sort(byScore);
  const refs = scored.filter((r) => r.role === 'reference').sort(byScore);

  const scale = scores.scale ?? 'batch-relative';
  const calibrated = scale === 'distance' ? (scores.calibrated ?? null) : null;
  const auto = calibrated
    ? null
    : autoThreshold(
        statisticsValues(
          queries.map((r) => r.score),
          queries.map((r) => r.screening),
        ),
      );
  const autoValue = calibrated ? calibrated.threshold : (auto?.value ?? null);
  const value = manualThreshold ?? autoValue;

  const onVerdict = verdictScores(
    queries.map((r) => r.score),
    queries.map((r) => r.screening),
  );
  const verdicts = queries.map((r, i): RowVerdict => {
    if (r.screening.notComparable) return 'not-comparable';
    return value === null ? 'unjudged' : verdictOf(onVerdict[i], value);
  });
  const textOf = (r: (typeof scored)[number]) => screeningText(r.screening, (key) => nameOf.get(key) ?? key);
  const pixel = normalLevel(
    queries.map((r) => r.mapMax),
    verdicts.map((v) => v === 'normal'),
    refs.map((r) => r.mapMax),
  );
  const findings: ImageResult[] = queries.map((r, i) => ({
    ...r,
    rank: i + 1,
    verdict: verdicts[i],
    pixelThreshold: imageThreshold(pixel.value, r.mapMax),
    screeningText: textOf(r),
  }));
  const references: ImageResult[] = refs.map((r, i) => ({
    ...r,
    rank: i + 1,
    verdict: 'reference',
    pixelThreshold: imageThreshold(pixel.value, r.mapMax),
    screeningText: textOf(r),
  }));
  const anomalous = findings.filter((r) => r.verdict === 'anomalous').length;
  const unjudged = findings.filter((r) => r.verdict === 'unjudged').length;
  const notComparable = findings.filter((r) => r.verdict === 'not-comparable').length;
  return {
    scale,
    rows: [...findings, ...references],
    findings,
    references,
    pending,
    threshold: {
      value,
      mode: manualThreshold === null ? 'auto' : 'manual',
      rule: calibrated ? 'references' : 'batch',
      ruleText: calibrated ? calibrated.rule : THRESHOLD_RULE,
      auto,
      pixel,
      screeningRule: scores.screeningRule ?? null,
    },
    counts: { normal: findings.length - anomalous - unjudged - notComparable, anomalous, unjudged, notComparable },
    range: rangeOf(scale, [...scored.map((r) => r.score), autoValue ?? 0]),
  };
}
