// Installs the catalog models into public/models/<id>/: from MUSCOPE_MODELS_FROM, else from
// ../shared/models, else from the pinned URLs. Every file is sha256-checked; a corrupt or
// truncated file is reported with its path and replaced, never used.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelManifest, ModelVariant } from '../../src/encoders/manifest.ts';
import { CATALOG, DEFAULT_MODELS_URL, type CatalogEntry, type PinnedFile } from '../model/pinnedModels.ts';
import { downloadTo, fetchFailure } from '../files/download.ts';
import { checkFile, copyVerified } from '../files/integrity.ts';
import { modelsDir, sharedDir } from '../files/paths.ts';
import { readManifest } from '../files/manifest.ts';
import { keepCheck } from '../model/webgpuCheckRecord.ts';

/** Where models go and where they may come from; the defaults are the real install's. */
export interface InstallTarget {
  modelsDir: string;
  /** local folders laid out like shared/models, tried in order */
  sources: string[];
  baseUrl: string;
}

export class ModelInstallError extends Error {
  override readonly name = 'ModelInstallError';
}

export function defaultTarget(): InstallTarget {
  const fromEnv = process.env.MUSCOPE_MODELS_FROM;
  const shared = join(sharedDir, 'models');
  return {
    modelsDir,
    sources: fromEnv ? [resolve(fromEnv)] : existsSync(shared) ? [shared] : [],
    baseUrl: process.env.MUSCOPE_MODELS_URL ?? DEFAULT_MODELS_URL,
  };
}

async function installFile(
  target: InstallTarget,
  id: string,
  file: PinnedFile,
  log: (l: string) => void,
): Promise<'kept' | 'installed'> {
  const path = join(target.modelsDir, id, file.name);
  const state = await checkFile(path, file.sha256, file.bytes);
  if (state === 'ok') return 'kept';
  if (state === 'corrupt') {
    log(`${path} is corrupt or truncated (sha256/size mismatch); removed, reinstalling it.`);
    await rm(path, { force: true });
  }

  for (const dir of target.sources) {
    const candidate = join(dir, file.sourcePath);
    if (existsSync(candidate)) {
      await copyVerified(candidate, path, file.sha256, file.bytes);
      log(`installed ${id}/${file.name} from ${candidate}`);
      return 'installed';
    }
  }

  const url = new URL(file.urlPath, target.baseUrl).href;
  const partial = `${path}.download`;
  try {
    log(`downloading ${id}/${file.name} from ${url}`);
    await downloadTo(url, partial, log);
    await copyVerified(partial, path, file.sha256, file.bytes);
    return 'installed';
  } catch (err) {
    throw new ModelInstallError(
      `Model "${id}" is not installed: no local copy of ${file.sourcePath} ` +
        `(set MUSCOPE_MODELS_FROM=<folder holding ${file.sourcePath}>, or put the shared/ folder beside this checkout), ` +
        `and the download from ${url} failed (${fetchFailure(err)}).`,
    );
  } finally {
    await rm(partial, { force: true });
  }
}

/** Variants made earlier (quantized files) are kept only while their files still verify. */
async function verifiedExtraVariants(
  dir: string,
  previous: ModelManifest | null,
  log: (l: string) => void,
): Promise<ModelVariant[]> {
  const kept: ModelVariant[] = [];
  for (const v of previous?.variants ?? []) {
    if (v.dtype === 'fp32') continue;
    const path = join(dir, v.file);
    const state = await checkFile(path, v.sha256, v.bytes);
    if (state === 'ok') kept.push(v);
    else {
      log(`${path} is ${state}; dropping the ${v.dtype} variant so it is rebuilt.`);
      await rm(path, { force: true });
    }
  }
  return kept;
}

export async function installModel(
  target: InstallTarget,
  entry: CatalogEntry,
  log: (l: string) => void,
): Promise<{ changed: boolean }> {
  const id = entry.manifest.id;
  let changed = false;
  for (const file of entry.files) changed = (await installFile(target, id, file, log)) === 'installed' || changed;

  const dir = join(target.modelsDir, id);
  const manifestPath = join(dir, 'manifest.json');
  const previous = await readManifest(manifestPath);
  const main = entry.files[0];
  const manifest: ModelManifest = {
    ...entry.manifest,
    variants: [
      keepCheck(previous, {
        dtype: 'fp32',
        file: main.name,
        bytes: main.bytes,
        sha256: main.sha256,
        backends: ['webgpu', 'wasm', 'node'],
      }),
      ...(await verifiedExtraVariants(dir, previous, log)),
    ],
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (previous === null || `${JSON.stringify(previous, null, 2)}\n` !== text) {
    await writeFile(manifestPath, text);
    changed = true;
  }
  return { changed };
}

export async function installCatalog(log: (l: string) => void): Promise<void> {
  const target = defaultTarget();
  for (const entry of CATALOG) await installModel(target, entry, log);
}
