// `add`: a catalog encoder from its pinned upstream export (or a local copy of it), tapped and
// installed into <modelsDir>/<name>/.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { downloadTo, fetchFailure } from '../files/download.ts';
import { sha256File } from '../../src/platform/node/sha256File.ts';
import { checkFile } from '../files/integrity.ts';
import { readModel } from '../onnx/index.ts';
import { type CatalogEntry, downloadUrl } from './catalog.ts';
import { type TappedEncoder, tapModel } from './tap.ts';
import { writeTappedModel } from './tapped-folder.ts';

export interface AddOptions {
  entry: CatalogEntry;
  modelsDir: string;
  /** a local copy of the export: installed even when it is not the pinned file, with a warning */
  from?: string;
  size?: number;
  layers?: number[];
  /** the Hub or a mirror; default HF_ENDPOINT, else https://huggingface.co */
  endpoint?: string;
  log: (line: string) => void;
}

export interface AddedModel {
  dir: string;
  manifest: ModelManifest;
  tapped: TappedEncoder;
}

const fromHint = (name: string): string => `npm run model -- add ${name} --from <file.onnx>`;

/** Downloads the pinned file into a temporary path and verifies it; returns that path. */
async function downloadPinned(entry: CatalogEntry, url: string, log: (line: string) => void): Promise<string> {
  if (!entry.pin) {
    throw new Error(
      `${entry.name} has no pinned sha256, so its download would be unverified and is refused: fetch ${url} yourself, check it, then run ${fromHint(entry.name)}`,
    );
  }
  const file = join(tmpdir(), `muscope-${entry.name}-${randomUUID()}.onnx`);
  try {
    await downloadTo(url, file, log);
  } catch (error) {
    await rm(file, { force: true });
    throw new Error(
      `download unreachable: ${url} (${fetchFailure(error)}); without network, get the file another way and run ${fromHint(entry.name)}`,
      { cause: error },
    );
  }
  const state = await checkFile(file, entry.pin.sha256, entry.pin.bytes);
  if (state !== 'ok') {
    await rm(file, { force: true });
    throw new Error(
      `the download of ${url} does not match its pinned sha256 and size (${state}); nothing was installed`,
    );
  }
  return file;
}

export async function addModel(options: AddOptions): Promise<AddedModel> {
  const { entry, log } = options;
  const url = downloadUrl(entry, options.endpoint);
  const file = options.from ?? (await downloadPinned(entry, url, log));
  try {
    const sha256 = options.from ? await sha256File(options.from) : entry.pin?.sha256;
    const pinned = entry.pin !== undefined && sha256 === entry.pin.sha256;
    if (options.from && !pinned) {
      const why = entry.pin
        ? 'is not the pinned upstream file'
        : `cannot be checked (${entry.name} has no pinned sha256)`;
      log(`warning: ${options.from} ${why} (sha256 ${sha256}); installing it as a local export`);
    }
    const tapped = await tapModel(await readModel(file), {
      family: entry.family,
      size: options.size,
      fallbackSize: entry.size,
      layers: options.layers,
    });
    const dir = join(options.modelsDir, entry.name);
    const manifest = await writeTappedModel(dir, tapped, {
      id: entry.name,
      displayName: entry.displayName,
      license: entry.license,
      source: pinned
        ? `${url} (sha256 ${sha256}, verified)`
        : `local export ${options.from} (sha256 ${sha256}); upstream ${url} not verified`,
    });
    return { dir, manifest, tapped };
  } finally {
    if (!options.from) await rm(file, { force: true });
  }
}
