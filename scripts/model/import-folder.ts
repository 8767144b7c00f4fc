// `tap` and `add` install an export into a model folder through src/encoders/import's importModel,
// the pipeline the page runs, with onnxruntime-node: each file is written as it comes, the
// manifest last, so a failed import leaves nothing behind.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import {
  type DataFiles,
  externalDataLocations,
  type ImportedModel,
  type ImportRequest,
  importModel,
} from '../../src/encoders/import/importModel.ts';
import { modelFileName } from '../../src/encoders/import/modelManifest.ts';
import { QUANTIZED_DTYPES, variantFileName } from '../../src/encoders/import/quantize/variants.ts';
import { openFloatModel } from '../../src/platform/node/openFloatModel.ts';
import { readManifest } from '../files/manifest.ts';
import { writeAtomically } from '../files/integrity.ts';
import { decodeModel, sha256Hex } from '../onnx/index.ts';
import { keepCheck } from './webgpuCheckRecord.ts';

export type FolderImport = Omit<ImportRequest, 'open' | 'sha256' | 'onFile'>;

/** An export's bytes and the external-data files its graph names, read from beside it where they are. */
export async function readExport(path: string): Promise<{ bytes: Uint8Array; dataFiles: DataFiles }> {
  const bytes = await readFile(path);
  let locations: string[] = [];
  try {
    locations = externalDataLocations(decodeModel(bytes).graph ?? {});
  } catch {
    // not an ONNX model: importModel says what it is
  }
  const dataFiles = new Map<string, Uint8Array>();
  for (const location of locations) {
    const file = join(dirname(path), location);
    // one that is missing is named by importModel, with what to do
    if (existsSync(file)) dataFiles.set(basename(location), await readFile(file));
  }
  return { bytes, dataFiles };
}

export async function importIntoFolder(dir: string, request: FolderImport): Promise<ImportedModel> {
  const manifestPath = join(dir, 'manifest.json');
  const previous = await readManifest(manifestPath);
  const imported = await importModel({
    ...request,
    open: openFloatModel,
    sha256: async (bytes) => sha256Hex(bytes),
    async onFile(file, bytes) {
      await mkdir(dir, { recursive: true });
      await writeAtomically(join(dir, file), bytes);
    },
  });
  // An unchanged file keeps its install-time WebGPU check (a re-install does not re-run it).
  const manifest: ModelManifest = {
    ...imported.manifest,
    variants: imported.manifest.variants.map((v) => keepCheck(previous, v)),
  };
  // A variant file of an earlier install that is not offered now would be stale beside the new model.onnx.
  for (const dtype of QUANTIZED_DTYPES)
    if (!manifest.variants.some((v) => v.dtype === dtype))
      await rm(join(dir, variantFileName(modelFileName, dtype)), { force: true });
  await writeAtomically(manifestPath, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { ...imported, manifest };
}

/** The last line `tap` and `add` print. */
export function wroteLine(dir: string, manifest: ModelManifest): string {
  const fp32 = manifest.variants[0];
  return `wrote ${join(dir, modelFileName)} (${fp32.bytes} bytes, sha256 ${fp32.sha256}) and manifest.json`;
}
