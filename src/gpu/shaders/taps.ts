// Encoder taps of one image, read where onnxruntime left them on the GPU (docs/method.md §4):
//   resampleMain: a CNN map [C, H, W] → patch tokens [grid², C], bilinear with PyTorch's
//                 align_corners=false taps computed on the CPU (engine/upsample.ts axisTaps), so
//                 both engines pick the same source pixels; one thread per (channel, patch cell).
//   meansMain:    the global average of each channel of [C, H, W], one workgroup per channel
//                 (the RsCIN embedding of CNN models before its L2 normalisation).

import { workgroupSumFn } from './reduce.ts';

export const RESAMPLE_WORKGROUP = 64;
const MEANS_WORKGROUP = 256;

export function tapsShader(): string {
  return `
struct Params {
  channels: u32,
  height: u32,
  width: u32,
  grid: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> map: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

// [loY, hiY] per output row, then [loX, hiX] per output column; weights of hiY, then of hiX.
@group(0) @binding(3) var<storage, read> axisIndex: array<u32>;
@group(0) @binding(4) var<storage, read> axisWeight: array<f32>;

@compute @workgroup_size(${RESAMPLE_WORKGROUP})
fn resampleMain(@builtin(global_invocation_id) id: vec3<u32>) {
  let c = id.x;
  let cell = id.y;
  if (c >= params.channels) {
    return;
  }
  let grid = params.grid;
  let y = cell / grid;
  let x = cell % grid;
  let plane = c * params.height * params.width;
  let r0 = plane + axisIndex[2u * y] * params.width;
  let r1 = plane + axisIndex[2u * y + 1u] * params.width;
  let c0 = axisIndex[2u * grid + 2u * x];
  let c1 = axisIndex[2u * grid + 2u * x + 1u];
  let wy = axisWeight[y];
  let wx = axisWeight[grid + x];
  let top = (1.0 - wx) * map[r0 + c0] + wx * map[r0 + c1];
  let bottom = (1.0 - wx) * map[r1 + c0] + wx * map[r1 + c1];
  out[cell * params.channels + c] = (1.0 - wy) * top + wy * bottom;
}

${workgroupSumFn('planeSum', MEANS_WORKGROUP)}
@compute @workgroup_size(${MEANS_WORKGROUP})
fn meansMain(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = wg.x;
  let area = params.height * params.width;
  var sum = 0.0;
  for (var k = lid; k < area; k += ${MEANS_WORKGROUP}u) {
    sum += map[c * area + k];
  }
  let total = planeSum(lid, sum);
  if (lid == 0u) {
    out[c] = total / f32(area);
  }
}
`;
}
