// The batch the inspector is working on: its images, what was skipped and why, and its results.
import type { BatchScores, Evaluation, ImageRole, ScoreSettings } from '../../worker/protocol.ts';

export interface GroundTruthFiles {
  defect: string;
  anomalous: boolean;
  mask: { name: string; blob: Blob } | null;
}

export interface BatchImage {
  /** sha-256 of the bytes: identity, duplicate check and worker cache key */
  key: string;
  name: string;
  /** path inside the dropped folder, or the file name */
  path: string;
  blob: Blob;
  width: number;
  height: number;
  /** present when the batch came in the MVTec layout with ground_truth/ */
  truth: GroundTruthFiles | null;
  /** 'reference': a known-good part that scores the others and is never a finding; absent (older saves): a query */
  role?: ImageRole;
  /** a frame sampled from a video: the video's name and the frame's time in seconds, for the timeline */
  video?: { name: string; time: number };
}

export interface SkippedFile {
  name: string;
  reason: string;
}

export interface BatchRecord {
  images: BatchImage[];
  skipped: SkippedFile[];
  /**
   * the latest scores, matched to `images` by key (scores.keys): images added since have none
   * yet (shown as pending), removed ones are ignored until the next scores; null until scored
   */
  scores: BatchScores | null;
  /** the settings `scores` were computed with */
  scoredWith: ScoreSettings | null;
  evaluation: Evaluation | null;
}
