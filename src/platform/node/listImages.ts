// Turns the paths a user gives into a sorted list of image files: folders are walked recursively
// and keep files with an image extension, and files without one whose bytes are an image; files named explicitly are always kept (so a broken
// one is reported by the decoder rather than silently dropped).

import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { byCodePoint } from '../../engine/dataset/mvtecPairing.ts';
import { imageFormatOf, SNIFF_BYTES } from '../../engine/preprocess/imageFiles.ts';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.gif']);

export class InputPathError extends Error {
  override readonly name = 'InputPathError';
}

export function hasImageExtension(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

/** A file without an extension is an image when its first bytes say so (a camera's raw dump, a renamed file). */
async function isExtensionlessImage(path: string): Promise<boolean> {
  if (extname(path) !== '') return false;
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    await file.read(head, 0, SNIFF_BYTES, 0);
    return imageFormatOf(head) !== null;
  } finally {
    await file.close();
  }
}

async function walk(dir: string, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, into);
    else if (entry.isFile() && (hasImageExtension(entry.name) || (await isExtensionlessImage(path)))) into.push(path);
  }
}

/** Image files under `paths`, deduplicated and sorted. Throws InputPathError for a missing path. */
export async function listImages(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new InputPathError(`${path}: no such file or folder`);
    if (info.isDirectory()) await walk(path, found);
    else found.push(path);
  }
  return [...new Set(found)].sort(byCodePoint);
}
