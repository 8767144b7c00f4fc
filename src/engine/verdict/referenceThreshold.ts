// The verdict rule when known-good references exist. A query's score is then on a fixed scale:
// the maximum of its anomaly map, a nearest-patch distance to the references (no batch
// normalisation). The threshold comes from the references alone: each one scored against the
// others (leave one out) gives the scores good parts reach; a query is anomalous when its
// score lies above both the highest of them and their median plus REFERENCE_Z robust standard
// deviations. So a verdict depends only on the image and the references, never on the batch.

import { robustSpread, type RobustSpread } from './robust.ts';

export const REFERENCE_Z = 3;
/** Leave-one-out needs two references; fewer give scores but no verdict. */
export const MIN_CALIBRATION_REFERENCES = 2;

export const REFERENCE_RULE =
  `Scores are nearest-patch distances to the known-good references. Each reference is scored against the other references; ` +
  `an image is anomalous when its score is above both the highest of those scores and their median plus ${REFERENCE_Z} robust SD (1.4826·MAD).`;

export interface ReferenceThreshold {
  /** an image is anomalous when its score is strictly above this */
  value: number;
  /** the references' leave-one-out scores: median, robust SD, count */
  references: RobustSpread;
  highest: number;
}

/** The threshold from the references' leave-one-out scores, or null with fewer than two. */
export function referenceThreshold(leaveOneOut: readonly number[]): ReferenceThreshold | null {
  if (leaveOneOut.length < MIN_CALIBRATION_REFERENCES) return null;
  const references = robustSpread(leaveOneOut);
  const highest = Math.max(...leaveOneOut);
  return { value: Math.max(highest, references.median + REFERENCE_Z * references.sigma), references, highest };
}
