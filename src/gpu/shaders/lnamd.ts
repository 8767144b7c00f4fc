// LNAMD (docs/method.md §5, simplified exact form) for a chunk of images of one layer:
//   meanMain:      μ = mean of the P·D patch values of each image (one workgroup per image);
//   aggregateMain: u_p = Σ_{q ∈ r×r window ∩ grid} (x_q − μ),  z_p = u_p / max(‖u_p‖, 1e-12),
//                  one workgroup per (patch, image), plus ‖z_p‖² of the stored row for MSM.
// Rows are written with `dimPadded` (a multiple of 4) entries, zero-padded, so MSM reads vec4s.

import { workgroupSumFn } from './reduce.ts';
import { featurePrelude, type FeatureStorage } from './storage.ts';

const MEAN_WORKGROUP = 256;
const AGGREGATE_WORKGROUP = 64;

export function lnamdShader(storage: FeatureStorage): string {
  return `${featurePrelude(storage)}
struct Params {
  tokens: u32,     // tokens per image in the tap (skip + grid²)
  skip: u32,       // leading non-patch tokens (CLS, registers)
  dim: u32,
  dimPadded: u32,
  grid: u32,
  radius: u32,     // (r − 1) / 2
  imageBase: u32,  // global index of the chunk's first image (means and norms are batch-wide)
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> taps: array<f32>;
@group(0) @binding(2) var<storage, read_write> means: array<f32>;

${workgroupSumFn('meanSum', MEAN_WORKGROUP)}
@compute @workgroup_size(${MEAN_WORKGROUP})
fn meanMain(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let image = wg.x;
  let start = (image * params.tokens + params.skip) * params.dim;
  let count = params.grid * params.grid * params.dim;
  var sum = 0.0;
  for (var k = lid; k < count; k += ${MEAN_WORKGROUP}u) {
    sum += taps[start + k];
  }
  let total = meanSum(lid, sum);
  if (lid == 0u) {
    means[params.imageBase + image] = total / f32(count);
  }
}

@group(0) @binding(3) var<storage, read_write> features: array<Feature>;
@group(0) @binding(4) var<storage, read_write> norms: array<f32>;

${workgroupSumFn('rowSum', AGGREGATE_WORKGROUP)}
/** Centred r×r window sum of channel d (0 in the padding); out-of-grid neighbours are skipped. */
fn windowSum(tokenBase: u32, lo: vec2<u32>, hi: vec2<u32>, mean: f32, d: u32) -> f32 {
  if (d >= params.dim) {
    return 0.0;
  }
  var sum = 0.0;
  for (var y = lo.y; y <= hi.y; y++) {
    for (var x = lo.x; x <= hi.x; x++) {
      sum += taps[(tokenBase + y * params.grid + x) * params.dim + d] - mean;
    }
  }
  return sum;
}

@compute @workgroup_size(${AGGREGATE_WORKGROUP})
fn aggregateMain(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let cell = wg.x;
  let image = wg.y;
  let grid = params.grid;
  let at = vec2<u32>(cell % grid, cell / grid);
  let lo = max(at, vec2<u32>(params.radius)) - vec2<u32>(params.radius);
  let hi = min(at + vec2<u32>(params.radius), vec2<u32>(grid - 1u));
  let tokenBase = image * params.tokens + params.skip;
  let mean = means[params.imageBase + image];
  let row = image * grid * grid + cell;

  var squares = 0.0;
  for (var d = lid; d < params.dim; d += ${AGGREGATE_WORKGROUP}u) {
    let u = windowSum(tokenBase, lo, hi, mean, d);
    squares += u * u;
  }
  let scale = 1.0 / max(sqrt(rowSum(lid, squares)), 1e-12);

  // The sums are recomputed rather than kept, so an f16 store never holds an unnormalised value.
  var storedSquares = 0.0;
  for (var d = lid; d < params.dimPadded; d += ${AGGREGATE_WORKGROUP}u) {
    let z = Feature(windowSum(tokenBase, lo, hi, mean, d) * scale);
    features[row * params.dimPadded + d] = z;
    storedSquares += f32(z) * f32(z);
  }
  let norm2 = rowSum(lid, storedSquares);
  if (lid == 0u) {
    norms[params.imageBase * grid * grid + row] = norm2;
  }
}
`;
}
