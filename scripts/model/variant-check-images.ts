// The real images a variant is checked on, decoded and resized exactly as the app feeds the
// encoder (sharp decode, PIL-exact squash resize with the manifest's filter, CHW in [0,1] or
// normalised as the manifest says).
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { squashResize, writeChw } from '../../src/engine/preprocess/index.ts';
import { decodeRgb } from '../../src/platform/node/decode.ts';
import { sharedDir } from '../files/paths.ts';

export interface CheckImage {
  /** file path, for messages */
  name: string;
  /** CHW float32, 3 × size × size */
  pixels: Float32Array;
}

export const DEFAULT_CHECK_IMAGE_COUNT = 8;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

/** MVTec AD bottle test set: good and defective bottles, in ../shared or MUSCOPE_SHARED. */
export function defaultCheckImageDir(): string {
  return join(sharedDir, 'data/mvtec_ad/bottle/test');
}

async function imagesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * Picks `count` images from `dir`. In an MVTec-style test folder (a `good` folder beside one per
 * defect type) half are good and the rest are taken round-robin over the defect folders, first
 * files first; otherwise the images directly in `dir` are taken in name order.
 */
export async function selectCheckImages(dir: string, count = DEFAULT_CHECK_IMAGE_COUNT): Promise<string[]> {
  const subdirs = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (subdirs.length === 0) return (await imagesIn(dir)).slice(0, count);

  const good = subdirs.includes('good') ? await imagesIn(join(dir, 'good')) : [];
  const defects = await Promise.all(subdirs.filter((d) => d !== 'good').map((d) => imagesIn(join(dir, d))));
  const picked = good.slice(0, defects.length > 0 ? Math.ceil(count / 2) : count);
  for (let round = 0; picked.length < count && defects.some((files) => round < files.length); round++) {
    for (const files of defects) if (round < files.length && picked.length < count) picked.push(files[round]);
  }
  return picked;
}

export async function loadCheckImages(paths: string[], input: ModelManifest['input']): Promise<CheckImage[]> {
  const images: CheckImage[] = [];
  for (const path of paths) {
    const resized = squashResize(await decodeRgb(path), input.size, input.resize);
    const pixels = new Float32Array(3 * input.size * input.size);
    writeChw(resized, input, pixels, 0);
    images.push({ name: path, pixels });
  }
  return images;
}
