// Reads a model folder's manifest.json, for the install and the model tools.
import { readFile } from 'node:fs/promises';
import type { ModelManifest } from '../../src/encoders/manifest.ts';

/** The manifest at `path`, or null when there is none (or it does not parse). */
export async function readManifest(path: string): Promise<ModelManifest | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelManifest;
  } catch {
    return null;
  }
}
