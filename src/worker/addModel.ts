// Settings → "Add a model…": a CLIP or DINO ONNX export the user chose becomes a model of this
// page, by the same pipeline as `npm run model -- tap` and `quantize` (src/encoders/import):
// taps found by structure, checked variants, every file with its sha256, stored in the origin's
// storage. Nothing is kept of an add that fails or is cancelled. Once added, the page uses it:
// its load runs the WebGPU-vs-WASM check on this device, as every load does (encoders/web/ortWeb.ts).
import { EncoderError } from '../encoders/errors.ts';
import { partsLength } from '../encoders/onnx/index.ts';
import { importModel } from '../encoders/import/index.ts';
import { openWasmFloatModel } from '../encoders/web/floatSession.ts';
import {
  ADDED_ID_PREFIX,
  addedModels,
  putAddedFile,
  putAddedManifest,
  removeAddedModel,
  whileAdding,
} from '../platform/browser/addedModels.ts';
import { demoCheckImages } from '../platform/browser/checkImages.ts';
import { sha256OfParts } from '../platform/browser/fileParts.ts';
import { readInto } from '../platform/browser/modelFiles.ts';
import type { AddModelProgress, Calls } from './protocol.ts';

const MB = 1e6;
/** model.onnx is about the export's size, fp16 half of it, int8-weight a quarter and a bit. */
const STORED_PER_FILE_BYTE = 1.8;
/** onnxruntime-web's WASM build addresses at most 4 GiB, and a model is copied into it to run. */
const MAX_MODEL_BYTES = 2 ** 31;

const mb = (bytes: number): string => `${Math.ceil(bytes / MB).toLocaleString('en-US')} MB`;

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'model'
  );
}

/**
 * A new id for `name`, never one a removed model had: the page's caches and the worker's loaded
 * session are keyed by id, so a reused id could bring back the removed model's.
 */
const freshId = (name: string): string => `${ADDED_ID_PREFIX}${slug(name)}-${Date.now().toString(36)}`;

/** The .onnx and its data files: the model's size, whichever way its weights were kept. */
const exportSize = ({ file, dataFiles }: ExportFiles): number => dataFiles.reduce((n, f) => n + f.size, file.size);

const storageFull = (files: ExportFiles, free: string): EncoderError =>
  new EncoderError(
    'storage-full',
    `${files.file.name} needs about ${mb(exportSize(files) * STORED_PER_FILE_BYTE)} of this browser's storage (the model and its smaller variants), and ${free}. Remove a model you no longer need in Settings, or free disk space, then add it again.`,
  );

async function checkRoom(files: ExportFiles): Promise<void> {
  const { file } = files;
  const size = exportSize(files);
  if (file.size === 0)
    throw new EncoderError(
      'model-file-unusable',
      `${file.name} is empty (0 bytes). Choose the .onnx file of the export.`,
    );
  if (size > MAX_MODEL_BYTES)
    throw new EncoderError(
      'model-file-unusable',
      `${file.name} is ${mb(size)}${files.dataFiles.length > 0 ? ' with its data files' : ''}; the page runs models of at most ${mb(MAX_MODEL_BYTES)} (onnxruntime's WASM memory). Export a smaller model (e.g. ViT-B instead of ViT-L), or use \`npm run model -- add\` and the command-line tool.`,
    );
  const { quota, usage } = await navigator.storage.estimate();
  if (quota === undefined) return;
  const free = quota - (usage ?? 0);
  if (size * STORED_PER_FILE_BYTE > free) throw storageFull(files, `this site may use ${mb(Math.max(0, free))} more`);
}

/** The browser's own refusal to store a file, when its quota is below what estimate() says (it may be). */
const isQuotaError = (err: unknown): boolean => err instanceof DOMException && err.name === 'QuotaExceededError';

/** Each file in one buffer, read in chunks with progress over them all (a file is never copied whole). */
async function readAll(
  files: readonly File[],
  progress: (p: AddModelProgress) => void,
  signal: AbortSignal,
): Promise<Uint8Array[]> {
  const total = files.reduce((n, f) => n + f.size, 0);
  const buffers: Uint8Array[] = [];
  let before = 0;
  for (const file of files) {
    const bytes = new Uint8Array(file.size);
    const read = await readInto(
      file.stream(),
      bytes,
      (done) => progress({ stage: 'read', done: before + done, total }),
      signal,
    );
    if (read !== file.size)
      throw new EncoderError(
        'model-file-unusable',
        `${file.name} changed while it was read. Add it again once it is saved.`,
      );
    buffers.push(bytes);
    before += file.size;
  }
  return buffers;
}

type AddRequest = Calls['add-model']['request'];
type ExportFiles = Pick<AddRequest, 'file' | 'dataFiles'>;

export const addModel = async (
  request: AddRequest,
  progress: (p: AddModelProgress) => void,
  signal: AbortSignal,
): Promise<Calls['add-model']['reply']> => {
  const displayName = request.name.trim() || request.file.name.replace(/\.onnx$/i, '');
  await checkRoom(request);
  const id = freshId(displayName);
  // its files are in storage before its manifest is: held, the lock keeps every tab's listing off them
  return whileAdding(id, () => store(id, displayName, request, progress, signal));
};

async function store(
  id: string,
  displayName: string,
  { file, dataFiles, family, size }: AddRequest,
  progress: (p: AddModelProgress) => void,
  signal: AbortSignal,
): Promise<Calls['add-model']['reply']> {
  let stored = 0;
  try {
    const [bytes, ...data] = await readAll([file, ...dataFiles], progress, signal);
    const { manifest, lines } = await importModel({
      bytes,
      dataFiles: new Map(dataFiles.map((f, i) => [f.name, data[i]])),
      fileName: file.name,
      id,
      displayName,
      family: family ?? undefined,
      size: size ?? undefined,
      open: openWasmFloatModel,
      checkImages: await demoCheckImages(signal),
      sha256: sha256OfParts,
      source: `added in the page from ${[file, ...dataFiles].map((f) => `${f.name} (${f.size} bytes)`).join(', ')}`,
      onFile: async (fileName, fileBytes) => {
        signal.throwIfAborted();
        await putAddedFile(id, fileName, fileBytes);
        stored += partsLength(fileBytes);
      },
      onProgress: progress,
      signal,
    });
    signal.throwIfAborted();
    await putAddedManifest(manifest);
    return { model: { manifest, bytes: stored }, lines };
  } catch (err) {
    await removeAddedModel(id);
    throw isQuotaError(err) ? storageFull({ file, dataFiles }, 'the browser refused to store more for this site') : err;
  }
}

export const listAddedModels = async (): Promise<Calls['added-models']['reply']> => ({
  models: await addedModels(),
});

export const removeModel = async ({
  id,
}: Calls['remove-model']['request']): Promise<Calls['remove-model']['reply']> => ({
  freedBytes: await removeAddedModel(id),
});
