// Installed models on disk: `<repo>/public/models/<id>/manifest.json` plus the variant files it
// names (written by `npm install`). A variant is checked against its manifest size and sha256
// before use, so a damaged file is never run.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EncoderError } from '../../encoders/errors.ts';
import type { ModelManifest, ModelVariant, VariantDtype } from '../../encoders/manifest.ts';
import type { ModelIndex } from '../../encoders/modelIndex.ts';
import { sha256File } from './sha256File.ts';

/** `<repo>/public/models`, or MUSCOPE_MODELS_DIR when set (models kept elsewhere). */
export const MODELS_DIR =
  process.env.MUSCOPE_MODELS_DIR || join(dirname(fileURLToPath(import.meta.url)), '../../../public/models');

export function installedModelIds(modelsDir = MODELS_DIR): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((id) => existsSync(join(modelsDir, id, 'manifest.json')))
    .sort();
}

/** The model the app picks when the user picks none (index.json's default, written at install), or null. */
export function defaultModelId(modelsDir = MODELS_DIR): string | null {
  const file = join(modelsDir, 'index.json');
  if (!existsSync(file)) return null;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as ModelIndex).default;
  } catch {
    return null;
  }
}

export function loadManifest(id: string, modelsDir = MODELS_DIR): ModelManifest {
  const file = join(modelsDir, id, 'manifest.json');
  if (!/^[\w.-]+$/.test(id) || !existsSync(file)) {
    const installed = installedModelIds(modelsDir);
    throw new EncoderError(
      'model-not-installed',
      `Model "${id}" is not installed. Installed: ${installed.length ? installed.join(', ') : 'none'} (run \`npm install\` to install the models).`,
    );
  }
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as ModelManifest;
  } catch (err) {
    throw new EncoderError('model-corrupt', `${file} is not valid JSON (${(err as Error).message}).`);
  }
  if (manifest.schema !== 1 || manifest.id !== id || !Array.isArray(manifest.taps) || manifest.taps.length === 0) {
    throw new EncoderError('model-corrupt', `${file} is not a schema-1 manifest for "${id}" with taps.`);
  }
  return manifest;
}

/** The variant's file path after checking it exists, has the stated size and sha256. */
export async function verifiedVariantPath(
  manifest: ModelManifest,
  dtype: VariantDtype,
  modelsDir = MODELS_DIR,
): Promise<{ path: string; variant: ModelVariant }> {
  const variant = manifest.variants.find((v) => v.dtype === dtype);
  if (!variant) {
    const offered = manifest.variants.map((v) => v.dtype).join(', ');
    throw new EncoderError(
      'model-not-installed',
      `Model "${manifest.id}" has no ${dtype} variant (it has: ${offered}).`,
    );
  }
  const path = join(modelsDir, manifest.id, variant.file);
  if (!existsSync(path))
    throw new EncoderError('model-not-installed', `${path} is missing; run \`npm install\` to install the models.`);
  const bytes = statSync(path).size;
  const corrupt = (why: string) =>
    new EncoderError(
      'model-corrupt',
      `${path} is damaged (${why}); run \`npm install\` to repair the installed models.`,
    );
  if (bytes !== variant.bytes) throw corrupt(`${bytes} bytes, the manifest says ${variant.bytes}`);
  if ((await sha256File(path)) !== variant.sha256) throw corrupt('its sha256 does not match the manifest');
  return { path, variant };
}
