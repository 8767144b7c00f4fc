// The MuSc pipeline over one batch of tapped features: LNAMD → MSM per (degree, layer), mean over
// layers then degrees (float64), image score = max of the upsampled map, min-max + RsCIN. On the
// CPU matmul path with every patch against every patch, a layer's degrees come from one product
// per pair (degreeGram.ts).
// Maps are produced on demand by anomalyMap so N maps of S×S never sit in memory together.

import { patchBands } from './alignment.ts';
import { candidateRing, everyOtherImage, fromRingOrder, toRingOrder } from './candidates.ts';
import { rscinPlan, scorerWindow, validateConfig } from './config.ts';
import { MuscError, throwIfAborted } from './errors.ts';
import { matmulLayerSlots } from './kernels/matmulDegrees.ts';
import { tsKernel } from './kernels/tsKernel.ts';
import { sharesDegrees } from './layerSlots.ts';
import { oneImage } from './layers.ts';
import { lnamd } from './lnamd.ts';
import { mutualScores, setsScoresOnPlan } from './msm.ts';
import { finalImageScores } from './rscin.ts';
import type {
  FeatureSetScorer,
  LayerFeatures,
  LayerShape,
  MuscConfig,
  MuscInput,
  MuscResult,
  RunOptions,
} from './types.ts';
import { mapMaximum, upsampleMap } from './upsample.ts';

function invalidInput(message: string): MuscError {
  return new MuscError('invalid-input', message);
}

const inMemory = (layer: LayerShape): layer is LayerFeatures => 'data' in layer;

function inMemoryLayer(layer: LayerShape): LayerFeatures {
  if (!inMemory(layer))
    throw invalidInput(
      'These features are not in CPU memory; score them with the scorer that holds them (RunOptions.scoreFeatureSet).',
    );
  return layer;
}

function validateInput(input: MuscInput<LayerShape>): void {
  const [first] = input.layers;
  if (!first) throw invalidInput('No feature layers were given. The model must provide at least one tapped layer.');
  input.layers.forEach((layer, l) => {
    const { images, grid, dim, skip } = layer;
    if (![images, grid, dim, skip].every(Number.isInteger) || images < 1 || grid < 1 || dim < 1 || skip < 0) {
      throw invalidInput(
        `Layer ${l + 1} has an invalid shape (images ${images}, grid ${grid}, dim ${dim}, skip ${skip}).`,
      );
    }
    if (images !== first.images || grid !== first.grid) {
      throw invalidInput(
        `Layer ${l + 1} has ${images} images on a ${grid}×${grid} grid but layer 1 has ${first.images} on ${first.grid}×${first.grid}. ` +
          'Resample every layer to one grid (resampleNchw) and pass the same images to every layer.',
      );
    }
    if (inMemory(layer) && layer.data.length !== images * (skip + grid * grid) * dim) {
      throw invalidInput(
        `Layer ${l + 1} holds ${layer.data.length} values, expected ${images}·${skip + grid * grid}·${dim}.`,
      );
    }
  });
  const { embeddings, embedDim } = input;
  if (embeddings) {
    if (!Number.isInteger(embedDim) || embedDim < 1 || embeddings.length !== first.images * embedDim) {
      throw invalidInput(
        `The image embeddings hold ${embeddings.length} values, expected ${first.images}·${embedDim}.`,
      );
    }
    if (!embeddings.every(Number.isFinite)) {
      throw invalidInput(
        'The image embeddings contain invalid numbers (NaN or infinity). Try the fp32 model variant or another backend.',
      );
    }
  }
}

/** Max of the size×size map of each image, upsampled into one reused float64 buffer. */
function mapMaxima(patchScores: Float64Array, images: number, grid: number, size: number): Float64Array {
  const map = new Float64Array(size * size);
  return Float64Array.from({ length: images }, (_, n) => mapMaximum(patchScores, n * grid * grid, grid, size, map));
}

/** Layers in CPU memory run anywhere; layers kept elsewhere (on the GPU) need the scorer that reads them. */
export async function runMusc(input: MuscInput, config: MuscConfig, opts?: RunOptions): Promise<MuscResult>;
export async function runMusc<L extends LayerShape>(
  input: MuscInput<L>,
  config: MuscConfig,
  opts: RunOptions<L> & { scoreFeatureSet: FeatureSetScorer<L> },
): Promise<MuscResult>;
export async function runMusc(
  input: MuscInput<LayerShape>,
  config: MuscConfig,
  opts: RunOptions<never> = {},
): Promise<MuscResult> {
  validateConfig(config);
  validateInput(input);
  const { layers } = input;
  const { images, grid } = layers[0];
  const window = scorerWindow(images, config.interval, config.forceSmallBatch);
  // Refuse RsCIN windows the batch cannot fill before any scoring time is spent.
  rscinPlan(images, config.kList, input.embeddings !== null, config.forceSmallBatch);
  const { signal, onProgress } = opts;
  const kernel = opts.similarity ?? tsKernel;
  const patches = grid * grid;
  const tolerance = config.alignedTolerance ?? null;
  const candidates = config.candidates ?? null;
  if ((tolerance !== null || candidates !== null) && opts.scoreFeatureSet) {
    throw new MuscError(
      'invalid-config',
      'The aligned-parts and candidate-images shortcuts run on the CPU matmul path only, not on a whole-set scorer (WebGPU). Score exactly, or score on the CPU.',
    );
  }
  const bands = patchBands(grid, tolerance);
  // Candidate images score on a ring: the features go in ring order, the scores come back.
  const ring = candidates === null ? null : candidateRing(images, candidates);
  const plan = ring?.plan ?? everyOtherImage(images);
  // The interval ranks each image's scorers: all N − 1, or its K candidates.
  const msmWindow =
    plan.scorers === images - 1 ? window : scorerWindow(plan.scorers + 1, config.interval, config.forceSmallBatch);
  const sets = config.rList.length * layers.length;
  const pairsPerSet = Array.from({ length: images }, (_, i) => plan.partners(i).length).reduce((a, b) => a + b, 0);

  const degrees = config.rList.length;
  // shared[l][d]: layer l's scores at degree d, every degree of a layer from one product per pair
  const shared: Float64Array[][] = [];
  if (!opts.scoreFeatureSet && sharesDegrees(config.rList, bands)) {
    for (const [l, layer] of layers.entries()) {
      throwIfAborted(signal);
      onProgress?.({ stage: 'lnamd', done: l * degrees, total: sets });
      const slots = matmulLayerSlots(kernel)(grid, layer.dim, config.rList);
      // slot k holds image k, or the image at ring position k
      for (let k = 0; k < images; k++) slots.put(k, oneImage(inMemoryLayer(layer), ring ? ring.order[k] : k));
      const pairs = (i: number, js: readonly number[]) => slots.pairs(i, js);
      const onPairs = (done: number) =>
        onProgress?.({ stage: 'msm', done: (l * pairsPerSet + done) * degrees, total: sets * pairsPerSet });
      const scores = await setsScoresOnPlan(images, patches, msmWindow, plan, degrees, pairs, { signal, onPairs });
      shared.push(ring ? scores.map((s) => fromRingOrder(s, ring.order, patches)) : scores);
    }
  }

  const patchScores = new Float64Array(images * patches);
  const layerScores = opts.keepLayerScores ? new Float64Array(sets * images * patches) : undefined;
  const perDegree = new Float64Array(images * patches);
  let set = 0;
  for (const [d, r] of config.rList.entries()) {
    perDegree.fill(0);
    for (const [l, layer] of layers.entries()) {
      throwIfAborted(signal);
      if (shared.length === 0) onProgress?.({ stage: 'lnamd', done: set, total: sets });
      const pairsBefore = set * pairsPerSet;
      const onPairs = (done: number) =>
        onProgress?.({ stage: 'msm', done: pairsBefore + done, total: sets * pairsPerSet });
      // A GPU implementation (src/gpu) may take LNAMD + MSM of the whole feature set.
      // The overloads pair each kind of layer with a scorer that reads it.
      const msmOnCpu = async (): Promise<Float64Array> => {
        const z = lnamd(inMemoryLayer(layer), r);
        if (ring) toRingOrder(z, ring.order, patches * layer.dim);
        const scores = await mutualScores(z, images, patches, layer.dim, msmWindow, {
          kernel,
          bands,
          plan,
          signal,
          onPairs,
        });
        return ring ? fromRingOrder(scores, ring.order, patches) : scores;
      };
      const scores =
        shared.length > 0
          ? shared[l][d]
          : opts.scoreFeatureSet
            ? await opts.scoreFeatureSet(layer as never, r, window, { signal, onPairs })
            : await msmOnCpu();
      layerScores?.set(scores, set * images * patches);
      for (let i = 0; i < scores.length; i++) perDegree[i] += scores[i] / layers.length;
      set += 1;
    }
    for (let i = 0; i < perDegree.length; i++) patchScores[i] += perDegree[i] / config.rList.length;
  }

  throwIfAborted(signal);
  onProgress?.({ stage: 'maps', done: 0, total: 1 });
  const imageScoresRaw = mapMaxima(patchScores, images, grid, config.imageSize);
  onProgress?.({ stage: 'maps', done: 1, total: 1 });

  onProgress?.({ stage: 'rscin', done: 0, total: 1 });
  const final = finalImageScores(
    imageScoresRaw,
    input.embeddings,
    input.embedDim,
    config.kList,
    config.forceSmallBatch,
  );
  onProgress?.({ stage: 'rscin', done: 1, total: 1 });

  return {
    images,
    grid,
    patchScores,
    imageScoresRaw,
    imageScores: final.scores,
    forcedSmallBatch: window.forced || final.forced,
    rscinWindows: final.windows,
    ...(layerScores && { layerScores }),
  };
}

/** Image n's anomaly map at size×size (bilinear, align_corners=true), computed on demand. */
export function anomalyMap(
  result: Pick<MuscResult, 'images' | 'grid' | 'patchScores'>,
  n: number,
  size: number,
): Float32Array {
  if (!Number.isInteger(n) || n < 0 || n >= result.images) {
    throw new RangeError(`image index ${n} is outside the batch of ${result.images}`);
  }
  const map = new Float32Array(size * size);
  upsampleMap(result.patchScores, n * result.grid * result.grid, result.grid, size, map);
  return map;
}
