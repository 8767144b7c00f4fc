// Reads a category in the MVTec AD layout (docs/method.md §10), exactly as the reference pairs it:
//   <category>/test/<good|defect>/<image>        label = folder != 'good'
//   <category>/ground_truth/<defect>/<x>_mask.png  paired with the images by sorted position
// Defect folders are sorted, then files; `train/` is never read. Pairing rules: pairMasks.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { byCodePoint, pairMasks } from '../../engine/dataset/mvtecPairing.ts';
import { hasImageExtension, InputPathError } from './listImages.ts';

export interface LabeledImage {
  path: string;
  /** test sub-folder, e.g. 'good' or 'broken_large' */
  defect: string;
  anomalous: boolean;
  /** ground-truth mask, null for good images (all-normal) */
  maskPath: string | null;
}

export interface MvtecCategory {
  dir: string;
  name: string;
  images: LabeledImage[];
}

function sortedEntries(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && keep(name))
    .sort(byCodePoint);
}

/** `root` may be the category folder itself or its parent (then `category` names it). */
export function resolveCategoryDir(root: string, category: string | undefined): string {
  if (!existsSync(root)) throw new InputPathError(`${root}: no such folder`);
  if (existsSync(join(root, 'test'))) {
    if (category && basename(root) !== category && existsSync(join(root, category, 'test')))
      return join(root, category);
    return root;
  }
  if (category && existsSync(join(root, category, 'test'))) return join(root, category);
  throw new InputPathError(
    category
      ? `${root}: neither it nor ${join(root, category)} has a test/ folder (MVTec layout: <category>/test/<good|defect>/*)`
      : `${root}: no test/ folder here; pass the category folder, or its parent with --category <name>`,
  );
}

export function readMvtecCategory(root: string, category?: string): MvtecCategory {
  const dir = resolveCategoryDir(root, category);
  const testDir = join(dir, 'test');
  const images: LabeledImage[] = [];
  for (const defect of sortedEntries(testDir, (n) => statSync(join(testDir, n)).isDirectory())) {
    const files = sortedEntries(join(testDir, defect), hasImageExtension).map((f) => join(testDir, defect, f));
    const anomalous = defect !== 'good';
    let masks: Array<string | null> = files.map(() => null);
    if (anomalous) {
      const maskDir = join(dir, 'ground_truth', defect);
      if (!existsSync(maskDir))
        throw new InputPathError(`${maskDir}: missing; every defect folder needs its ground-truth masks`);
      masks = pairMasks(files, sortedEntries(maskDir, hasImageExtension)).map((f) => join(maskDir, f));
      if (masks.length !== files.length) {
        throw new InputPathError(
          `${maskDir}: ${masks.length} masks for ${files.length} images in test/${defect}; they are paired by sorted order, so the counts must match`,
        );
      }
    }
    files.forEach((path, i) => images.push({ path, defect, anomalous, maskPath: masks[i] }));
  }
  if (images.length === 0) throw new InputPathError(`${testDir}: no images found`);
  return { dir, name: basename(dir), images };
}
