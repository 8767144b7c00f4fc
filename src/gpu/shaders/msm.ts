// MSM nearest-patch kernel (musc.md §3, §12): one workgroup computes a 64×64 block of the
// similarity tile Z_i·Z_jᵀ of an unordered pair i < j (f32 accumulation) and turns it into
// squared distances t = max(0, ‖z_p‖² + ‖z_q‖² − 2·s), exactly the CPU engine's form. It then
// reduces the block twice: row minima (i scored by j) and column minima (j scored by i), merged
// into the nearest table with atomics, so the P×P tile never reaches global memory.
//
// Table encoding: the table is cleared to 0 and holds ~bits(t). For t ≥ 0 the f32 bit pattern
// orders like the value, so the complement turns "smallest t" into atomicMax, and a cleared
// entry decodes to NaN (never written), which the interval step would expose.

import { featurePrelude, type FeatureStorage } from './storage.ts';

export const MSM_TILE = 64;
/** Rows (and columns) each thread owns: 8×8 threads per workgroup, 64 f32 accumulators each. */
const PER = 8;
const SIDE = MSM_TILE / PER; // threads per workgroup side
const VECS = PER / 4; // vec4 groups per thread side
const K_STEP = 16; // dims per shared-memory stage
const GROUPS = MSM_TILE / 4; // vec4 row groups per block side

/** Lines for i = 0..count−1, unrolled: no dynamically indexed private arrays, which some compilers spill. */
const lines = (count: number, body: (i: number) => string): string => Array.from({ length: count }, (_, i) => body(i)).join('\n');

export function msmShader(storage: FeatureStorage): string {
  return `${featurePrelude(storage)}
struct Params {
  pairBase: u32,     // first pair of this dispatch
  patches: u32,
  dimVec4: u32,      // padded dim / 4
  scorers: u32,      // N − 1
  imageBaseA: u32,   // first image held by featuresA's chunk
  imageBaseB: u32,
  tableFirst: u32,   // first image whose rows the table holds
  tableCount: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pairs: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> featuresA: array<vec4<Feature>>;
@group(0) @binding(3) var<storage, read> featuresB: array<vec4<Feature>>;
@group(0) @binding(4) var<storage, read> norms: array<f32>;
@group(0) @binding(5) var<storage, read_write> table: array<atomic<u32>>;

const TILE = ${MSM_TILE}u;
const GROUPS = ${GROUPS}u;
const SIDE = ${SIDE}u;
const PER = ${PER}u;
const K_STEP = ${K_STEP}u;
const FAR = 3.0e38;

// stage[k * GROUPS + g] holds dim k of block rows 4g..4g+3, so one vec4 load feeds 4 rows.
var<workgroup> stageA: array<vec4<f32>, ${K_STEP * GROUPS}>;
var<workgroup> stageB: array<vec4<f32>, ${K_STEP * GROUPS}>;
// minima of each block row (then column) from each of the SIDE threads covering it
var<workgroup> minima: array<f32, ${MSM_TILE * SIDE}>;

fn loadStage(lid: u32, k0: u32, rowA: u32, rowB: u32, leftA: u32, leftB: u32) {
  for (var e = lid; e < TILE * K_STEP / 4u; e += ${SIDE * SIDE}u) {
    let row = e / 4u;
    let column = k0 / 4u + e % 4u; // the last stage may run past dims that are not a multiple of K_STEP
    var a = vec4<f32>(0.0);
    var b = vec4<f32>(0.0);
    if (row < leftA && column < params.dimVec4) {
      a = vec4<f32>(featuresA[(rowA + row) * params.dimVec4 + column]);
    }
    if (row < leftB && column < params.dimVec4) {
      b = vec4<f32>(featuresB[(rowB + row) * params.dimVec4 + column]);
    }
    let k = (e % 4u) * 4u;
    for (var c = 0u; c < 4u; c++) {
      stageA[(k + c) * GROUPS + row / 4u][row % 4u] = a[c];
      stageB[(k + c) * GROUPS + row / 4u][row % 4u] = b[c];
    }
  }
}

fn tableIndex(image: u32, cell: u32, slot: u32) -> u32 {
  return ((image - params.tableFirst) * params.patches + cell) * params.scorers + slot;
}

fn inTable(image: u32) -> bool {
  return image >= params.tableFirst && image < params.tableFirst + params.tableCount;
}

/** Merges the SIDE partial minima of block row (or column) lid into the table. */
fn reduceInto(lid: u32, valid: bool, index: u32) {
  var best = FAR;
  for (var s = 0u; s < SIDE; s++) {
    best = min(best, minima[lid * SIDE + s]);
  }
  if (valid) {
    atomicMax(&table[index], ~bitcast<u32>(best));
  }
}

@compute @workgroup_size(${SIDE}, ${SIDE})
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(local_invocation_id) local: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let pair = pairs[params.pairBase + wg.z];
  let i = pair.x;
  let j = pair.y;
  let P = params.patches;
  let blockP = wg.y * TILE; // rows: patches of i
  let blockQ = wg.x * TILE; // columns: patches of j
  let rowA = (i - params.imageBaseA) * P + blockP;
  let rowB = (j - params.imageBaseB) * P + blockQ;

  // acc<m>_<g>[c] = similarity of row PER·local.y + m and column PER·local.x + 4g + c
${lines(PER * VECS, (x) => `  var acc${Math.floor(x / VECS)}_${x % VECS} = vec4<f32>(0.0);`)}
  for (var k0 = 0u; k0 < params.dimVec4 * 4u; k0 += K_STEP) {
    loadStage(lid, k0, rowA, rowB, P - blockP, P - blockQ);
    workgroupBarrier();
    for (var k = 0u; k < K_STEP; k++) {
${lines(VECS, (g) => `      let a${g} = stageA[k * GROUPS + local.y * ${VECS}u + ${g}u];
      let b${g} = stageB[k * GROUPS + local.x * ${VECS}u + ${g}u];`)}
${lines(PER * VECS, (x) => {
  const m = Math.floor(x / VECS);
  const g = x % VECS;
  return `      acc${m}_${g} = fma(vec4<f32>(a${Math.floor(m / 4)}[${m % 4}]), b${g}, acc${m}_${g});`;
})}
    }
    workgroupBarrier();
  }

  // Squared distances; cells outside the grid never win a minimum.
  let p0 = blockP + local.y * PER;
  let q0 = blockQ + local.x * PER;
${lines(VECS, (g) => `  var normB${g} = vec4<f32>(FAR);
  var colBest${g} = vec4<f32>(FAR);`)}
  for (var c = 0u; c < 4u; c++) {
${lines(VECS, (g) => `    if (q0 + ${4 * g}u + c < P) {
      normB${g}[c] = norms[j * P + q0 + ${4 * g}u + c];
    }`)}
  }
${lines(
  PER,
  (m) => `  if (p0 + ${m}u < P) {
    let normA = norms[i * P + p0 + ${m}u];
    var rowBest = FAR;
${lines(VECS, (g) => `    let t${g} = max(vec4<f32>(0.0), normA + normB${g} - 2.0 * acc${m}_${g});
    rowBest = min(rowBest, min(min(t${g}.x, t${g}.y), min(t${g}.z, t${g}.w)));
    colBest${g} = min(colBest${g}, t${g});`)}
    minima[(local.y * PER + ${m}u) * SIDE + local.x] = rowBest;
  } else {
    minima[(local.y * PER + ${m}u) * SIDE + local.x] = FAR;
  }`,
)}
  workgroupBarrier();
  // Row minima: i's patch p scored by image j goes to slot j − 1 of i's row (j > i).
  if (lid < TILE) {
    reduceInto(lid, blockP + lid < P && inTable(i), tableIndex(i, blockP + lid, j - 1u));
  }
  workgroupBarrier();
  for (var c = 0u; c < 4u; c++) {
${lines(VECS, (g) => `    minima[(local.x * PER + ${4 * g}u + c) * SIDE + local.y] = colBest${g}[c];`)}
  }
  workgroupBarrier();
  // Column minima: j's patch q scored by image i goes to slot i of j's row (i < j).
  if (lid < TILE) {
    reduceInto(lid, blockQ + lid < P && inTable(j), tableIndex(j, blockQ + lid, i));
  }
}
`;
}
