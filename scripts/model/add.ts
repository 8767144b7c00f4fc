// `add`: a catalog encoder from its pinned upstream export (or a local copy of it), tapped (and,
// given check images, quantized and checked) and installed into <modelsDir>/<name>/ by importModel.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import type { CheckImageSource, ImportProgress } from '../../src/encoders/import/importModel.ts';
import type { TapFindings } from '../../src/encoders/import/tap.ts';
import { downloadTo, fetchFailure } from '../files/download.ts';
import { checkFile } from '../files/integrity.ts';
import { sha256Hex } from '../onnx/index.ts';
import { type CatalogEntry, downloadUrl } from './catalog.ts';
import { importIntoFolder, readExport } from './import-folder.ts';

export interface AddOptions {
  entry: CatalogEntry;
  modelsDir: string;
  /** a local copy of the export: installed even when it is not the pinned file, with a warning */
  from?: string;
  size?: number;
  layers?: number[];
  /** the Hub or a mirror; default HF_ENDPOINT, else https://huggingface.co */
  endpoint?: string;
  /** decoded check images: given, the checked quantized variants are installed too; absent, fp32 only */
  checkImages?: CheckImageSource[];
  /** warnings */
  log: (line: string) => void;
  /** the import's summary lines as they come */
  onLine?: (line: string) => void;
  onProgress?: (p: ImportProgress) => void;
}

export interface AddedModel {
  dir: string;
  manifest: ModelManifest;
  tapped: TapFindings;
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
    const { bytes, dataFiles } = await readExport(file);
    const sha256 = options.from ? sha256Hex(bytes) : entry.pin?.sha256;
    const pinned = entry.pin !== undefined && sha256 === entry.pin.sha256;
    if (options.from && !pinned) {
      const why = entry.pin
        ? 'is not the pinned upstream file'
        : `cannot be checked (${entry.name} has no pinned sha256)`;
      log(`warning: ${options.from} ${why} (sha256 ${sha256}); installing it as a local export`);
    }
    const dir = join(options.modelsDir, entry.name);
    const { manifest, tap } = await importIntoFolder(dir, {
      bytes,
      dataFiles,
      fileName: options.from ?? url,
      id: entry.name,
      displayName: entry.displayName,
      family: entry.family,
      size: options.size,
      fallbackSize: entry.size,
      layers: options.layers,
      checkImages: options.checkImages ?? [],
      dtypes: options.checkImages ? undefined : [],
      license: entry.license,
      source: pinned
        ? `${url} (sha256 ${sha256}, verified)`
        : `local export ${options.from} (sha256 ${sha256}); upstream ${url} not verified`,
      onLine: options.onLine,
      onProgress: options.onProgress,
    });
    return { dir, manifest, tapped: tap };
  } finally {
    if (!options.from) await rm(file, { force: true });
  }
}
