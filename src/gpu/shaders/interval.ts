// Interval mean of MSM (docs/method.md §6): per scored patch, decode its N−1 squared nearest distances
// from the table (see msm.ts for the encoding), take d = sqrt(t) and average the ranks
// [kMin, kMax) in ascending order. Ranks come from counting (ties broken by slot), which selects
// the same multiset of values as the CPU engine's sort.

import { workgroupSumFn } from './reduce.ts';

export const INTERVAL_WORKGROUP = 64;

/** `scorers` (N − 1) is baked in: it sizes the workgroup array holding one row. */
export function intervalShader(scorers: number): string {
  return `
const SCORERS = ${scorers}u;

struct Params {
  patches: u32,
  kMin: u32,
  kMax: u32,
  tableFirst: u32,  // global index of the table's first image
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> table: array<u32>;
@group(0) @binding(2) var<storage, read_write> scores: array<f32>;

var<workgroup> distances: array<f32, SCORERS>;
${workgroupSumFn('partialSum', INTERVAL_WORKGROUP)}
@compute @workgroup_size(${INTERVAL_WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let cell = wg.x;
  let image = wg.y; // within the table
  let row = image * params.patches + cell;
  for (var s = lid; s < SCORERS; s += ${INTERVAL_WORKGROUP}u) {
    distances[s] = sqrt(bitcast<f32>(~table[row * SCORERS + s]));
  }
  workgroupBarrier();

  var sum = 0.0;
  for (var s = lid; s < SCORERS; s += ${INTERVAL_WORKGROUP}u) {
    let value = distances[s];
    var rank = 0u;
    for (var t = 0u; t < SCORERS; t++) {
      let other = distances[t];
      rank += select(0u, 1u, other < value || (other == value && t < s));
    }
    if (rank >= params.kMin && rank < params.kMax) {
      sum += value;
    }
  }
  let total = partialSum(lid, sum);
  if (lid == 0u) {
    scores[(params.tableFirst + image) * params.patches + cell] = total / f32(params.kMax - params.kMin);
  }
}
`;
}
