// The real images a variant is checked on, picked from a folder by src/encoders/import's rule (the
// page applies the same rule to its demo set), decoded with sharp and then resized and laid out
// exactly as the app feeds the encoder.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import {
  type CheckImage,
  type CheckImageSource,
  DEFAULT_CHECK_IMAGE_COUNT,
  pickCheckImages,
  prepareCheckImages,
} from '../../src/encoders/import/checkImages.ts';
import { decodeRgb } from '../../src/platform/node/decode.ts';
import { sharedDir } from '../files/paths.ts';

export type { CheckImage };

/** MVTec AD bottle test set: good and defective bottles, in ../shared or MUSCOPE_SHARED. */
export function defaultCheckImageDir(): string {
  return join(sharedDir, 'data/mvtec_ad/bottle/test');
}

/** The files directly in `dir` and in its folders, as paths relative to it. */
async function filesIn(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) paths.push(entry.name);
    if (entry.isDirectory())
      for (const inner of await readdir(join(dir, entry.name), { withFileTypes: true }))
        if (inner.isFile()) paths.push(`${entry.name}/${inner.name}`);
  }
  return paths;
}

/** Picks `count` images from `dir` by pickCheckImages' rule (MVTec: half good, the rest round-robin over the defects). */
export async function selectCheckImages(dir: string, count = DEFAULT_CHECK_IMAGE_COUNT): Promise<string[]> {
  return pickCheckImages(await filesIn(dir), count).map((path) => join(dir, path));
}

/** Decodes the files; each is named by its path. */
export async function decodeCheckImages(paths: string[]): Promise<CheckImageSource[]> {
  const sources: CheckImageSource[] = [];
  for (const path of paths) sources.push({ name: path, image: await decodeRgb(path) });
  return sources;
}

export async function loadCheckImages(paths: string[], input: ModelManifest['input']): Promise<CheckImage[]> {
  return prepareCheckImages(await decodeCheckImages(paths), input);
}
