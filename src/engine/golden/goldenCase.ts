// Decoding of the reference's golden vectors (../shared/golden/README.md): arrays are base64 of
// little-endian C-order bytes. Two kinds: "pipeline" (tapped features → every MuSc output) and
// "metrics" (labels, scores, masks, maps → metrics). Shared by the golden test and scripts/golden.ts.

interface EncodedArray {
  dtype: string;
  shape: number[];
  b64: string;
}

interface Decoded<T> {
  data: T;
  shape: number[];
}

export interface GoldenMetrics {
  image: { auroc: number; f1_max: number; ap: number };
  pixel: { auroc: number; f1_max: number; ap: number; aupro: number };
}

/** Ground truth and expected metrics, present in both kinds. */
interface GoldenTruth {
  labels: Uint8Array;
  /** [M, S, S] */
  masks: Decoded<Uint8Array>;
  metrics: GoldenMetrics;
}

export interface PipelineGoldenCase extends GoldenTruth {
  kind: 'pipeline';
  name: string;
  config: {
    images: number;
    grid: number;
    dim: number;
    layers: number;
    embedDim: number;
    imageSize: number;
    rList: number[];
    interval: [number, number];
    kList: number[];
  };
  /** [L, N, 1+P, D] */
  taps: Float32Array;
  /** [N, E] */
  cls: Float32Array;
  expected: {
    perRLayer: Float64Array;
    patchScores: Float64Array;
    maps: Float64Array;
    imageScoresRaw: Float64Array;
    imageScores: Float64Array;
  };
}

export interface MetricsGoldenCase extends GoldenTruth {
  kind: 'metrics';
  name: string;
  imageScores: Float64Array;
  /** [M, S, S] */
  maps: Float64Array;
}

export type GoldenCase = PipelineGoldenCase | MetricsGoldenCase;

type Json = Record<string, unknown>;

function bytesOf(array: EncodedArray): ArrayBuffer {
  const text = atob(array.b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes.buffer;
}

function encoded(value: unknown, dtype: string, what: string): EncodedArray {
  const array = value as EncodedArray | undefined;
  if (!array || typeof array.b64 !== 'string' || !Array.isArray(array.shape))
    throw new Error(`golden: ${what} is not an encoded array`);
  if (array.dtype !== dtype) throw new Error(`golden: ${what} is ${array.dtype}, expected ${dtype}`);
  return array;
}

const float32 = (v: unknown, what: string): Float32Array => new Float32Array(bytesOf(encoded(v, 'float32', what)));
const float64 = (v: unknown, what: string): Float64Array => new Float64Array(bytesOf(encoded(v, 'float64', what)));
function uint8(v: unknown, what: string): Decoded<Uint8Array> {
  const array = encoded(v, 'uint8', what);
  return { data: new Uint8Array(bytesOf(array)), shape: array.shape };
}

function truth(inputs: Json, expected: Json): GoldenTruth {
  return {
    labels: uint8(inputs.labels, 'labels').data,
    masks: uint8(inputs.masks, 'masks'),
    metrics: expected.metrics as GoldenMetrics,
  };
}

export function parseGoldenCase(json: unknown): GoldenCase {
  const root = json as Json;
  const inputs = root.inputs as Json;
  const expected = root.expected as Json;
  const name = String(root.name);
  if (root.kind === 'metrics') {
    return {
      kind: 'metrics',
      name,
      ...truth(inputs, { metrics: expected }),
      imageScores: float64(inputs.image_scores, 'image_scores'),
      maps: float64(inputs.maps, 'maps'),
    };
  }
  if (root.kind !== 'pipeline') throw new Error(`golden ${name}: unknown kind ${String(root.kind)}`);
  const c = root.config as Json;
  return {
    kind: 'pipeline',
    name,
    ...truth(inputs, expected),
    config: {
      images: Number(c.images),
      grid: Number(c.grid),
      dim: Number(c.dim),
      layers: Number(c.layers),
      embedDim: Number(c.embed_dim),
      imageSize: Number(c.image_size),
      rList: c.r_list as number[],
      interval: c.interval as [number, number],
      kList: c.k_list as number[],
    },
    taps: float32(inputs.taps, 'taps'),
    cls: float32(inputs.cls, 'cls'),
    expected: {
      perRLayer: float64(expected.per_r_layer, 'per_r_layer'),
      patchScores: float64(expected.patch_scores, 'patch_scores'),
      maps: float64(expected.maps, 'maps'),
      imageScoresRaw: float64(expected.image_scores_raw, 'image_scores_raw'),
      imageScores: float64(expected.image_scores, 'image_scores'),
    },
  };
}
