// Turns a plain ViT export (torch.onnx / optimum) into a MuScope encoder: the residual stream after
// the chosen blocks and the image embedding become graph outputs (docs/method.md §2), every
// output's shape is checked by running the model (the caller's runner: importModel's runtime,
// onnxruntime-node or -web), and nothing else is computed. What the graph is not shows as TapError.
import type { EmbeddingSpec, TapSpec } from '../manifest.ts';
import {
  DataType,
  type Dim,
  type FloatTensor,
  GraphEditor,
  GraphIndex,
  appendL2Normalize,
  defaultOpset,
  type onnx,
  intsAttr,
  nodeOutputs,
  pruneGraph,
  randomFloatTensor,
  type RunFloatModel,
  tensorDims,
  valueInfo,
  valueInfoDims,
} from '../onnx/index.ts';
import { clipEmbedding, clsOfFinalNorm, findFinalNorm } from './embedding.ts';
import { embeddingSpec, familyTraits, type VitFamily } from './families.ts';
import { TapError } from './errors.ts';
import { findLayerNorms, type NormRegion } from './layerNorms.ts';
import { findResidualStream, type ResidualStream } from './residualStream.ts';
import { checkTapBlocks, defaultTapBlocks, embeddingOutputName, tapOutputName } from './tapPlan.ts';

export interface TapOptions {
  family: VitFamily;
  /** 0-based blocks to tap; default MuSc's 4 evenly spaced ending with the last */
  layers?: number[];
  /** input side in pixels; must match the export's when that is fixed */
  size?: number;
  /** side used when the export's input size is dynamic and `size` is not given */
  fallbackSize?: number;
}

export interface TappedEncoder {
  model: onnx.IModelProto;
  family: VitFamily;
  inputName: string;
  size: number;
  patch: number;
  grid: number;
  blockCount: number;
  /** blocks whose exporter names agree with the structure found */
  namesConfirmed: number;
  taps: TapSpec[];
  embedding: EmbeddingSpec;
  /** CLIP: the export's embedding was not L2-normalised, so a ReduceL2/Div was appended */
  normalizationAdded: boolean;
}

/** What tapping found, without the model itself. */
export type TapFindings = Omit<TappedEncoder, 'model'>;

export interface ImageInput {
  name: string;
  dims: (Dim | undefined)[];
}

function imageInput(index: GraphIndex): ImageInput {
  const inputs = index.inputs;
  if (inputs.length !== 1)
    throw new TapError('not-a-vit', `expected one image input, the graph has ${inputs.length} (${inputs.join(', ')})`);
  const info = (index.graph.input ?? []).find((i) => i.name === inputs[0]);
  const dims = info ? valueInfoDims(info) : undefined;
  const elemType = info?.type?.tensorType?.elemType ?? DataType.UNDEFINED;
  if (elemType !== DataType.FLOAT)
    throw new TapError(
      'not-a-vit',
      `input ${inputs[0]} is ${DataType[elemType]?.toLowerCase() ?? `element type ${elemType}`}, not float32 pixels`,
    );
  if (!dims || dims.length !== 4) throw new TapError('not-a-vit', `input ${inputs[0]} is not an NCHW image tensor`);
  return { name: inputs[0], dims };
}

/** The patch side: kernel (= stride) of the Conv that patchifies the input. */
function patchSize(index: GraphIndex, input: string): number {
  const passThrough = new Set(['Cast', 'Identity']);
  let frontier = [input];
  for (let depth = 0; depth < 3; depth++) {
    const conv = frontier.flatMap((t) => index.consumers(t)).find((n) => n.opType === 'Conv');
    if (conv) {
      const weight = index.constant(conv.input?.[1] ?? '');
      const kernel = intsAttr(conv, 'kernel_shape') ?? (weight ? tensorDims(weight).slice(2) : []);
      const strides = intsAttr(conv, 'strides') ?? [1, 1];
      if (kernel.length !== 2 || kernel[0] !== kernel[1] || strides.join() !== kernel.join()) {
        throw new TapError(
          'not-a-vit',
          `the first Conv (kernel [${kernel}], strides [${strides}]) is not a square patch embedding`,
        );
      }
      return kernel[0];
    }
    frontier = frontier
      .flatMap((t) => index.consumers(t).filter((n) => passThrough.has(n.opType ?? '')))
      .flatMap(nodeOutputs);
  }
  throw new TapError('not-a-vit', `no patch-embedding Conv reads ${input}: not a ViT image encoder`);
}

/** What the structure search finds in a ViT image encoder before anything is edited. */
export interface VitStructure {
  index: GraphIndex;
  input: ImageInput;
  patch: number;
  norms: NormRegion[];
  stream: ResidualStream;
}

/** Finds the image input, the patch embedding, the LayerNorms and the residual stream; throws TapError when the graph is not a ViT image encoder. */
export function findVit(graph: onnx.IGraphProto): VitStructure {
  const index = new GraphIndex(graph);
  const input = imageInput(index);
  const patch = patchSize(index, input.name);
  const norms = findLayerNorms(index);
  return { index, input, patch, norms, stream: findResidualStream(index, norms) };
}

/** The input side the model will be tapped at: the export's when fixed, else the requested one, else the fallback. */
export function resolveSize(
  requested: number | undefined,
  fallback: number | undefined,
  dims: (Dim | undefined)[],
  patch: number,
): number {
  const [h, w] = [dims[2], dims[3]];
  let size: number;
  if (typeof h === 'number' && typeof w === 'number') {
    if (h !== w)
      throw new TapError('unsupported', `the export's input is ${h}×${w}; MuScope encoders take square inputs`);
    if (requested !== undefined && requested !== h)
      throw new TapError('unsupported', `--size ${requested} conflicts with the export's fixed input size ${h}`);
    size = h;
  } else {
    const chosen = requested ?? fallback;
    if (chosen === undefined)
      throw new TapError(
        'dynamic-shape',
        `the export's input size is dynamic: pass --size (a multiple of the patch size, ${patch})`,
      );
    size = chosen;
  }
  if (!Number.isInteger(size) || size <= 0 || size % patch !== 0)
    throw new TapError('unsupported', `input size ${size} is not a multiple of the patch size ${patch}`);
  return size;
}

/** DINO taps go through the final LayerNorm: a copy of it reading the block output, sharing its weight and bias (docs/method.md §2). */
function addNormedTap(editor: GraphEditor, finalNorm: NormRegion, blockOutput: string, name: string): void {
  if (blockOutput === finalNorm.input) {
    editor.addIdentity(finalNorm.output, editor.claimName(name));
    return;
  }
  editor.cloneNodes(
    finalNorm.nodes,
    new Map([
      [finalNorm.input, blockOutput],
      [finalNorm.output, editor.claimName(name)],
    ]),
    `/${name}`,
  );
}

function hasUnitRows(t: FloatTensor): boolean {
  const width = t.dims[t.dims.length - 1];
  for (let row = 0; row < t.data.length / width; row++) {
    let sum = 0;
    for (let i = row * width; i < (row + 1) * width; i++) sum += t.data[i] * t.data[i];
    if (Math.abs(Math.sqrt(sum) - 1) > 1e-4) return false;
  }
  return true;
}

function describeTaps(
  outputs: Record<string, FloatTensor>,
  blocks: number[],
  grid: number,
  batch: number,
  family: VitFamily,
): TapSpec[] {
  const taps = blocks.map((block): TapSpec => {
    const name = tapOutputName(block);
    const dims = outputs[name].dims;
    const registers = dims[1] - 1 - grid * grid;
    if (dims.length !== 3 || dims[0] !== batch || registers < 0) {
      throw new TapError(
        'unsupported',
        `tap ${name} has shape [${dims}], not [${batch}, 1+${grid * grid}(+registers), D] for a ${grid}×${grid} grid`,
      );
    }
    if (family === 'clip' && registers !== 0)
      throw new TapError(
        'not-a-vit',
        `tap ${name} has ${registers} tokens beyond CLS and the ${grid}×${grid} patches: not a CLIP ViT at this size`,
      );
    return { name, layout: 'tokens', grid, dim: dims[2], hasCls: true, registers, block };
  });
  if (new Set(taps.map((t) => `${t.dim}/${t.registers}`)).size !== 1)
    throw new TapError('unsupported', 'the taps differ in width or token count: not one residual stream');
  return taps;
}

function embeddingWidth(output: FloatTensor, batch: number, family: VitFamily, tapDim: number): number {
  const dims = output.dims;
  if (dims.length !== 2 || dims[0] !== batch)
    throw new TapError('unsupported', `the image embedding has shape [${dims}], not [${batch}, E]`);
  if (family !== 'clip' && dims[1] !== tapDim)
    throw new TapError('unsupported', `the CLS embedding is ${dims[1]} wide but the stream is ${tapDim}`);
  return dims[1];
}

/** Edits `model` in place and returns it tapped; `run` runs it to check the outputs' shapes. */
export async function tapModel(
  model: onnx.IModelProto,
  options: TapOptions,
  run: RunFloatModel,
): Promise<TappedEncoder> {
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const opset = defaultOpset(model);
  const { index, input, patch, norms, stream } = findVit(graph);
  const size = resolveSize(options.size, options.fallbackSize, input.dims, patch);
  const grid = size / patch;
  const blocks = stream.blocks;
  const last = blocks[blocks.length - 1];
  const tapBlocks = options.layers ? checkTapBlocks(options.layers, blocks.length) : defaultTapBlocks(blocks.length);
  const traits = familyTraits[options.family];

  const editor = new GraphEditor(graph);
  let embeddingSource: string;
  if (traits.tapsThroughFinalNorm) {
    const finalNorm = findFinalNorm(norms, last.output);
    for (const b of tapBlocks) addNormedTap(editor, finalNorm, blocks[b].output, tapOutputName(b));
    embeddingSource = clsOfFinalNorm(index, editor, finalNorm);
  } else {
    for (const b of tapBlocks) editor.addIdentity(blocks[b].output, editor.claimName(tapOutputName(b)));
    embeddingSource = clipEmbedding(index, norms, last.output);
  }

  const batchDim = input.dims[0] ?? 'batch';
  graph.input = (graph.input ?? []).map((i) =>
    i.name === input.name ? valueInfo(input.name, DataType.FLOAT, [batchDim, input.dims[1] ?? 3, size, size]) : i,
  );
  const tapInfos = tapBlocks.map((b) => valueInfo(tapOutputName(b), DataType.FLOAT));
  const batch = typeof batchDim === 'number' ? batchDim : 2;
  const feeds = { [input.name]: randomFloatTensor([batch, 3, size, size], 1) };

  let normalizationAdded = false;
  if (traits.embedding === 'projected-cls') {
    // Run once with the embedding under its own name: does the export normalise it already?
    editor.setOutputs([...tapInfos, valueInfo(embeddingSource, DataType.FLOAT)]);
    pruneGraph(graph);
    normalizationAdded = !hasUnitRows((await run(model, feeds))[embeddingSource]);
  }
  const embeddingName = editor.claimName(embeddingOutputName);
  if (normalizationAdded) appendL2Normalize(editor, embeddingSource, embeddingName, opset);
  else editor.addIdentity(embeddingSource, embeddingName);
  editor.setOutputs([...tapInfos, valueInfo(embeddingName, DataType.FLOAT)]);
  pruneGraph(graph);

  // Verify the model as it will be written.
  const outputs = await run(model, feeds);
  const taps = describeTaps(outputs, tapBlocks, grid, batch, options.family);
  const width = embeddingWidth(outputs[embeddingName], batch, options.family, taps[0].dim);
  if (traits.embedding === 'projected-cls' && !hasUnitRows(outputs[embeddingName]))
    throw new TapError('unsupported', 'the embedding is still not unit-length after L2 normalisation');
  const tokens = 1 + grid * grid + taps[0].registers;
  editor.setOutputs([
    ...taps.map((t) => valueInfo(t.name, DataType.FLOAT, [batchDim, tokens, t.dim])),
    valueInfo(embeddingName, DataType.FLOAT, [batchDim, width]),
  ]);
  return {
    model,
    family: options.family,
    inputName: input.name,
    size,
    patch,
    grid,
    blockCount: blocks.length,
    namesConfirmed: stream.namesConfirmed,
    taps,
    embedding: embeddingSpec(options.family, width),
    normalizationAdded,
  };
}
