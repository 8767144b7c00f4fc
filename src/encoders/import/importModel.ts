// A CLIP/DINO ONNX export → a MuScope model, the one pipeline the page and `npm run model -- tap|add`
// run: read the bytes, find the family and the taps by structure, tap and check the model in the
// caller's runtime, hand model.onnx over, then build, check and hand over each quantized variant.
// The files leave through onFile one at a time, so the caller can store each and let it go; the
// export's weights are held once, in its bytes: the tapped model, model.onnx's parts and the
// runtime's data files all refer to them there.
import type { ModelManifest } from '../manifest.ts';
import { imageFormatOf } from '../../engine/preprocess/imageFiles.ts';
import {
  decodeModel,
  encodeModelParts,
  type FileParts,
  graphNodes,
  partsLength,
  type onnx,
  type OpenFloatModel,
  type RunFloatModel,
  runOnce,
} from '../onnx/index.ts';
import { type CheckImageSource, prepareCheckImages } from './checkImages.ts';
import { bringWeightsInside, type DataFiles } from './externalData.ts';
import { buildCheckedVariants } from './checkedVariants.ts';
import { familyLabels, familyMarks, familyOf, importErrorOf } from './detectFamily.ts';
import { ImportError, TapError } from './errors.ts';
import type { VitFamily } from './families.ts';
import { buildManifest, fp32Variant, modelFileName, tappedDescription } from './modelManifest.ts';
import { QUANTIZED_DTYPES, type QuantizedDtype } from './quantize/variants.ts';
import { findVit, resolveSize, type TapFindings, tapModel, type VitStructure } from './tap.ts';

export type { FloatSession, OpenFloatModel } from '../onnx/index.ts';
export type { CheckImageSource } from './checkImages.ts';
export type { DataFiles } from './externalData.ts';
export { externalDataLocations } from './externalData.ts';
export { ImportError } from './errors.ts';
export type { ImportErrorCode } from './errors.ts';
export { detectFamily } from './detectFamily.ts';

export interface ImportProgress {
  /** parse: reading the bytes and the structure; tap: the tapped model's runs; variants: the fp32 reference run, then one step per variant */
  stage: 'parse' | 'tap' | 'variants';
  done: number;
  total: number;
}

export interface ImportRequest {
  /** the whole ONNX export */
  bytes: Uint8Array;
  /** the export's external-data files by name, where its weights lie outside the .onnx */
  dataFiles?: DataFiles;
  /** as the user named it (messages, provenance) */
  fileName: string;
  id: string;
  displayName: string;
  /** default: detectFamily's answer */
  family?: VitFamily;
  /** input side in pixels; must match the export's when that is fixed */
  size?: number;
  /** the side used when the export's size is dynamic and `size` is not given (the CLI's catalog size) */
  fallbackSize?: number;
  /** 0-based blocks to tap; default MuSc's 4 evenly spaced ending with the last */
  layers?: number[];
  /** onnxruntime-node in Node, onnxruntime-web WASM in the page */
  open: OpenFloatModel;
  /** empty: no quantized variants, and the lines say so */
  checkImages: CheckImageSource[];
  /** the variants to build; default every quantized dtype (as an install does); [] taps only, silently */
  dtypes?: readonly QuantizedDtype[];
  /** hex sha256 of a file's bytes, given in parts */
  sha256: (bytes: FileParts) => Promise<string>;
  /** provenance text for the manifest */
  source: string;
  /** the manifest's license; default 'unknown: see the source export' */
  license?: string;
  notes?: string;
  /** checkedAt; default new Date() */
  now?: () => Date;
  /** model.onnx, then each passing variant, in order, only once the model is proven tappable */
  onFile: (file: string, bytes: FileParts) => Promise<void>;
  onProgress?: (p: ImportProgress) => void;
  /** each line of ImportedModel.lines as soon as it is known */
  onLine?: (line: string) => void;
  /** checked between steps; an abort throws the signal's reason */
  signal?: AbortSignal;
}

export interface ImportedModel {
  manifest: ModelManifest;
  /** the tap summary (structure, taps, embedding) and one line per variant */
  lines: string[];
  /** what tapping found */
  tap: TapFindings;
}

/** ONNX files begin with ir_version (field 1, varint): 0x08 and a small version. */
function startsLikeOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] <= 15;
}

/** What bytes that are no ONNX model look like, to say so. */
function lookOf(bytes: Uint8Array): string {
  const image = imageFormatOf(bytes.subarray(0, 16));
  if (image) return `it is a ${image.toUpperCase()} image`;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return 'it is a zip archive (a PyTorch checkpoint, or a zipped export to unpack first?)';
  const head = bytes.subarray(0, 512);
  // tab, newline, carriage return, printable ASCII and UTF-8 sequences: a text file
  if (head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b !== 0x7f))) return 'it is a text file';
  return 'its bytes are not an ONNX model';
}

function notOnnx(fileName: string, bytes: Uint8Array, cause?: unknown): ImportError {
  return new ImportError(
    'not-onnx',
    `${fileName} is not an ONNX model: ${lookOf(bytes)}. Choose the .onnx file of a CLIP or DINO vision export.`,
    { cause },
  );
}

/** The decoded export, its weights inside, and its graph, or the ImportError saying why the bytes are not one we can read. */
function parseExport(
  bytes: Uint8Array,
  fileName: string,
  dataFiles: DataFiles,
): { model: onnx.ModelProto; graph: onnx.IGraphProto } {
  if (bytes.length === 0)
    throw new ImportError('not-onnx', `${fileName} is empty (0 bytes). Choose the .onnx file of the export.`);
  let model: onnx.ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    // protobufjs throws a RangeError where a field runs past the end of the bytes
    if (error instanceof RangeError && startsLikeOnnx(bytes))
      throw new ImportError(
        'truncated',
        `${fileName} is cut short: it starts like an ONNX model but its ${bytes.length} bytes end before its contents do. Copy or download the whole file again.`,
        { cause: error },
      );
    throw notOnnx(fileName, bytes, error);
  }
  const graph = model.graph;
  if (!graph || graphNodes(graph).length === 0) throw notOnnx(fileName, bytes);
  bringWeightsInside(graph, dataFiles, fileName);
  if (!(model.opsetImport ?? []).some((o) => !o.domain || o.domain === 'ai.onnx'))
    throw new ImportError(
      'unsupported',
      `${fileName} imports no standard (ai.onnx) operator set, so no ONNX runtime can run it: re-export it with torch.onnx or optimum.`,
    );
  return { model, graph };
}

/** The tap size, with page words where the tap tool's name its --size option (the TapError stays the cause). */
function checkSize(request: ImportRequest, vit: VitStructure): number {
  try {
    return resolveSize(request.size, request.fallbackSize, vit.input.dims, vit.patch);
  } catch (error) {
    if (!(error instanceof TapError)) throw error;
    const { fileName } = request;
    const [h, w] = [vit.input.dims[2], vit.input.dims[3]];
    if (error.code === 'dynamic-shape')
      throw new ImportError(
        'dynamic-shape',
        `${fileName} takes images of any size (its input ${vit.input.name} is [${vit.input.dims.map((d) => d ?? '?').join(', ')}]), so the shapes of its taps cannot be read without one: give the input size in pixels, a multiple of its patch size ${vit.patch} (the size the model was trained at, such as 224).`,
        { cause: error },
      );
    if (typeof h === 'number' && h === w && request.size !== undefined && request.size !== h)
      throw new ImportError(
        'unsupported',
        `${fileName} takes ${h}×${h} px images only, so it cannot be tapped at ${request.size} px: leave the size out.`,
        { cause: error },
      );
    throw importErrorOf(error, fileName);
  }
}

/** A runtime that cannot open or run the tapped model: its words, and the size it ran at. */
function runtimeError(fileName: string, size: number, error: unknown): ImportError {
  const said = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new ImportError(
    'unsupported',
    `${fileName} could not be run by onnxruntime at ${size} px (${said}). If the export only takes another size, give that size; otherwise re-export it with torch.onnx or optimum at opset 17 or later.`,
    { cause: error },
  );
}

function detectedOrThrow(detected: VitFamily | TapError, fileName: string): VitFamily {
  if (detected instanceof TapError) throw importErrorOf(detected, fileName);
  return detected;
}

interface Tapped {
  /** model.onnx as a message, its weights the export's bytes */
  fp32: onnx.IModelProto;
  findings: TapFindings;
  family: VitFamily;
}

/** Parse, detect and tap the export. */
async function tapExport(request: ImportRequest, progress: (p: ImportProgress) => void): Promise<Tapped> {
  const { fileName, signal } = request;
  progress({ stage: 'parse', done: 0, total: 1 });
  const { model, graph } = parseExport(request.bytes, fileName, request.dataFiles ?? new Map());
  let vit: VitStructure;
  try {
    vit = findVit(graph);
  } catch (error) {
    throw error instanceof TapError ? importErrorOf(error, fileName) : error;
  }
  let detected: VitFamily | TapError;
  try {
    detected = familyOf(vit);
  } catch (error) {
    if (!(error instanceof TapError)) throw error;
    detected = error;
  }
  const family = request.family ?? detectedOrThrow(detected, fileName);
  const size = checkSize(request, vit);
  progress({ stage: 'parse', done: 1, total: 1 });

  signal?.throwIfAborted();
  progress({ stage: 'tap', done: 0, total: 1 });
  const run: RunFloatModel = async (model, feeds) => {
    signal?.throwIfAborted();
    try {
      return await runOnce(request.open)(model, feeds);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw runtimeError(fileName, size, error);
    }
  };
  let tapped;
  try {
    tapped = await tapModel(
      model,
      { family, size: request.size, fallbackSize: request.fallbackSize, layers: request.layers },
      run,
    );
  } catch (error) {
    if (!(error instanceof TapError)) throw error;
    if (request.family && typeof detected === 'string' && detected !== request.family)
      throw new ImportError(
        'not-a-vit',
        `${fileName} is a ${familyLabels[detected]} export (${familyMarks[detected]}), not ${familyLabels[request.family]}: import it as ${familyLabels[detected]}.`,
        { cause: error },
      );
    throw importErrorOf(error, fileName);
  }
  progress({ stage: 'tap', done: 1, total: 1 });
  const { model: tappedModel, ...findings } = tapped;
  return { fp32: tappedModel, findings, family };
}

/** The tap summary `npm run model` prints and the page shows. */
function tapLines(tapped: TapFindings): string[] {
  const tap = tapped.taps[0];
  const tokens = 1 + tap.grid * tap.grid + tap.registers;
  const through = tapped.family === 'clip' ? 'raw residual stream' : 'through the final LayerNorm';
  const embedding = tapped.embedding.normalized
    ? `L2-normalised${tapped.normalizationAdded ? ' (normalisation added)' : ' (by the export)'}`
    : 'final-normed CLS, not normalised';
  return [
    `structure: ${tapped.blockCount} blocks (exporter names confirm ${tapped.namesConfirmed} of ${tapped.blockCount}), patch ${tapped.patch}, input ${tapped.inputName} ${tapped.size} px → ${tapped.grid}×${tapped.grid} grid`,
    `taps: ${tapped.taps.map((t) => t.name).join(', ')}: [B, ${tokens}, ${tap.dim}] each, ${tap.registers} registers, ${through}`,
    `embedding: ${tapped.embedding.name} [B, ${tapped.embedding.dim}], ${embedding}`,
  ];
}

/**
 * Imports a CLIP or DINO export. Throws ImportError for bytes that are no ONNX model ('not-onnx'),
 * a cut-short file ('truncated'), a graph that is no ViT image encoder ('not-a-vit'), a dynamic
 * input size with no size given ('dynamic-shape'), and what cannot be tapped or run
 * ('unsupported'); nothing has gone to onFile by then. An abort throws the signal's reason.
 */
export async function importModel(request: ImportRequest): Promise<ImportedModel> {
  const { signal } = request;
  const progress = (p: ImportProgress) => request.onProgress?.(p);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    request.onLine?.(line);
  };
  signal?.throwIfAborted();
  const { fp32, findings } = await tapExport(request, progress);
  for (const line of tapLines(findings)) say(line);

  signal?.throwIfAborted();
  const description = tappedDescription(findings, {
    id: request.id,
    displayName: request.displayName,
    license: request.license ?? 'unknown: see the source export',
    source: request.source,
    notes: request.notes,
  });
  const fp32File = encodeModelParts(fp32);
  const manifest = buildManifest(
    description,
    fp32Variant({ bytes: partsLength(fp32File), sha256: await request.sha256(fp32File) }),
  );
  await request.onFile(modelFileName, fp32File);

  const dtypes = request.dtypes ?? QUANTIZED_DTYPES;
  if (dtypes.length === 0) return { manifest, lines, tap: findings };
  if (request.checkImages.length === 0) {
    say(`quantized variants skipped: no check images were given, so ${request.id} is offered in fp32 only`);
    return { manifest, lines, tap: findings };
  }
  signal?.throwIfAborted();
  const variants = await buildCheckedVariants({
    manifest,
    fp32,
    dtypes,
    images: prepareCheckImages(request.checkImages, manifest.input),
    open: request.open,
    sha256: request.sha256,
    now: request.now ?? (() => new Date()),
    signal,
    async onVariant({ file, bytes, line }) {
      if (bytes) await request.onFile(file, bytes);
      say(line);
    },
    onStep: (done, total) => progress({ stage: 'variants', done, total }),
  });
  return { manifest: { ...manifest, variants }, lines, tap: findings };
}
