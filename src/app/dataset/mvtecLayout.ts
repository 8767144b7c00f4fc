// Recognises the MVTec AD layout in dropped paths and pairs images with their ground truth,
// with the same rules as the CLI (src/engine/dataset/mvtecPairing.ts):
//   <root>/test/<good|defect>/<image>          label = folder != 'good'
//   <root>/ground_truth/<defect>/<x>_mask.png  paired within the defect folder (pairMasks)

import { byCodePoint, pairMasks } from '../../engine/dataset/mvtecPairing.ts';

export interface GroundTruth {
  /** test sub-folder, e.g. 'good' or 'broken_large' */
  defect: string;
  anomalous: boolean;
  /** path of the mask, null for good images */
  maskPath: string | null;
}

export interface MvtecPairing {
  /** image path → its ground truth */
  truth: Map<string, GroundTruth>;
  /** mask paths, which are not images to score */
  masks: Set<string>;
}

const TEST_IMAGE = /^(.*?)(?:^|\/)test\/([^/]+)\/([^/]+)$/;
const MASK = /^(.*?)(?:^|\/)ground_truth\/([^/]+)\/([^/]+)$/;

function groupBy(paths: readonly string[], pattern: RegExp): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const m = pattern.exec(path);
    if (!m) continue;
    const key = `${m[1]}\u0000${m[2]}`;
    groups.set(key, [...(groups.get(key) ?? []), path]);
  }
  for (const list of groups.values()) list.sort(byCodePoint);
  return groups;
}

/**
 * The pairing when every image path is in the layout and every defect folder has as many masks
 * as images; null otherwise (then the batch is scored without evaluation).
 */
export function pairMvtec(imagePaths: readonly string[], allPaths: readonly string[]): MvtecPairing | null {
  if (imagePaths.length === 0 || !imagePaths.every((p) => TEST_IMAGE.test(p))) return null;
  const images = groupBy(imagePaths, TEST_IMAGE);
  const masks = groupBy(allPaths, MASK);
  const truth = new Map<string, GroundTruth>();
  for (const [key, paths] of images) {
    const defect = key.split('\u0000')[1];
    const anomalous = defect !== 'good';
    const maskList = pairMasks(paths, masks.get(key) ?? []);
    if (anomalous && maskList.length !== paths.length) return null;
    paths.forEach((path, i) => truth.set(path, { defect, anomalous, maskPath: anomalous ? maskList[i] : null }));
  }
  return { truth, masks: new Set([...masks.values()].flat()) };
}

/** Mask files of the layout, so they are not scored as images even when the rest is incomplete. */
export function isMaskPath(path: string): boolean {
  return MASK.test(path);
}
