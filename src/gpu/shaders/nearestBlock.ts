// The nearest-patch block both pair kernels share (shaders/msm.ts for a feature set's triangle,
// shaders/slotPairs.ts for one image against a list of slots): one workgroup computes a 64×64
// block of the similarity tile Z_a·Z_bᵀ of one image pair (f32 accumulation), turns it into
// squared distances t = max(0, ‖z_p‖² + ‖z_q‖² − 2·s), exactly the CPU engine's form, and reduces
// it twice: row minima (a scored by b) and column minima (b scored by a), so the P×P tile never
// reaches global memory. Where the minima go is the host shader's business.
//
// The host shader declares, besides `Feature` (storage.ts):
//   featuresA, featuresB: array<vec4<Feature>>  — the rows of the two images' chunks
//   fn rowNorm(index: u32) -> f32, fn columnNorm(index: u32) -> f32  — squared norms
//   fn keepRowMinimum(pair: vec2<u32>, p: u32, t: f32), fn keepColumnMinimum(pair: vec2<u32>, q: u32, t: f32)
// and calls nearestBlock from uniform control flow (it holds barriers) with a workgroup size of
// (NEAREST_SIDE, NEAREST_SIDE).

export const NEAREST_TILE = 64;
/** Rows (and columns) each thread owns: 8×8 threads per workgroup, 64 f32 accumulators each. */
const PER = 8;
export const NEAREST_SIDE = NEAREST_TILE / PER; // threads per workgroup side
const VECS = PER / 4; // vec4 groups per thread side
const K_STEP = 16; // dims per shared-memory stage
const GROUPS = NEAREST_TILE / 4; // vec4 row groups per block side

/** Lines for i = 0..count−1, unrolled: no dynamically indexed private arrays, which some compilers spill. */
const lines = (count: number, body: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => body(i)).join('\n');

export const nearestBlockFns = `
const TILE = ${NEAREST_TILE}u;
const GROUPS = ${GROUPS}u;
const SIDE = ${NEAREST_SIDE}u;
const PER = ${PER}u;
const K_STEP = ${K_STEP}u;
const FAR = 3.0e38;

/** One image pair as the block sees it; pair is the host's own entry, handed back to its keepers. */
struct Block {
  pair: vec2<u32>,
  patches: u32,
  dimVec4: u32,  // padded dim / 4
  rowA: u32,     // row of featuresA holding patch 0 of the row image
  rowB: u32,     // row of featuresB holding patch 0 of the column image
  normA: u32,    // rowNorm index of patch 0 of the row image
  normB: u32,    // columnNorm index of patch 0 of the column image
}

// stage[k * GROUPS + g] holds dim k of block rows 4g..4g+3, so one vec4 load feeds 4 rows.
var<workgroup> stageA: array<vec4<f32>, ${K_STEP * GROUPS}>;
var<workgroup> stageB: array<vec4<f32>, ${K_STEP * GROUPS}>;
// minima of each block row (then column) from each of the SIDE threads covering it
var<workgroup> minima: array<f32, ${NEAREST_TILE * NEAREST_SIDE}>;

fn loadStage(lid: u32, k0: u32, dimVec4: u32, rowA: u32, rowB: u32, leftA: u32, leftB: u32) {
  for (var e = lid; e < TILE * K_STEP / 4u; e += ${NEAREST_SIDE * NEAREST_SIDE}u) {
    let row = e / 4u;
    let column = k0 / 4u + e % 4u; // the last stage may run past dims that are not a multiple of K_STEP
    var a = vec4<f32>(0.0);
    var b = vec4<f32>(0.0);
    if (row < leftA && column < dimVec4) {
      a = vec4<f32>(featuresA[(rowA + row) * dimVec4 + column]);
    }
    if (row < leftB && column < dimVec4) {
      b = vec4<f32>(featuresB[(rowB + row) * dimVec4 + column]);
    }
    let k = (e % 4u) * 4u;
    for (var c = 0u; c < 4u; c++) {
      stageA[(k + c) * GROUPS + row / 4u][row % 4u] = a[c];
      stageB[(k + c) * GROUPS + row / 4u][row % 4u] = b[c];
    }
  }
}

/** The least of the SIDE partial minima of block row (or column) lid. */
fn blockMinimum(lid: u32) -> f32 {
  var best = FAR;
  for (var s = 0u; s < SIDE; s++) {
    best = min(best, minima[lid * SIDE + s]);
  }
  return best;
}

/** Block (wg.y, wg.x) of the pair's tile: rows are patches of the row image, columns of the column image. */
fn nearestBlock(wg: vec3<u32>, local: vec3<u32>, lid: u32, block: Block) {
  let P = block.patches;
  let blockP = wg.y * TILE;
  let blockQ = wg.x * TILE;
  let rowA = block.rowA + blockP;
  let rowB = block.rowB + blockQ;

  // acc<m>_<g>[c] = similarity of row PER·local.y + m and column PER·local.x + 4g + c
${lines(PER * VECS, (x) => `  var acc${Math.floor(x / VECS)}_${x % VECS} = vec4<f32>(0.0);`)}
  for (var k0 = 0u; k0 < block.dimVec4 * 4u; k0 += K_STEP) {
    loadStage(lid, k0, block.dimVec4, rowA, rowB, P - blockP, P - blockQ);
    workgroupBarrier();
    for (var k = 0u; k < K_STEP; k++) {
${lines(
  VECS,
  (g) => `      let a${g} = stageA[k * GROUPS + local.y * ${VECS}u + ${g}u];
      let b${g} = stageB[k * GROUPS + local.x * ${VECS}u + ${g}u];`,
)}
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
${lines(
  VECS,
  (g) => `  var normB${g} = vec4<f32>(FAR);
  var colBest${g} = vec4<f32>(FAR);`,
)}
  for (var c = 0u; c < 4u; c++) {
${lines(
  VECS,
  (g) => `    if (q0 + ${4 * g}u + c < P) {
      normB${g}[c] = columnNorm(block.normB + q0 + ${4 * g}u + c);
    }`,
)}
  }
${lines(
  PER,
  (m) => `  if (p0 + ${m}u < P) {
    let normA = rowNorm(block.normA + p0 + ${m}u);
    var rowBest = FAR;
${lines(
  VECS,
  (g) => `    let t${g} = max(vec4<f32>(0.0), normA + normB${g} - 2.0 * acc${m}_${g});
    rowBest = min(rowBest, min(min(t${g}.x, t${g}.y), min(t${g}.z, t${g}.w)));
    colBest${g} = min(colBest${g}, t${g});`,
)}
    minima[(local.y * PER + ${m}u) * SIDE + local.x] = rowBest;
  } else {
    minima[(local.y * PER + ${m}u) * SIDE + local.x] = FAR;
  }`,
)}
  workgroupBarrier();
  if (lid < TILE && blockP + lid < P) {
    keepRowMinimum(block.pair, blockP + lid, blockMinimum(lid));
  }
  workgroupBarrier();
  for (var c = 0u; c < 4u; c++) {
${lines(VECS, (g) => `    minima[(local.x * PER + ${4 * g}u + c) * SIDE + local.y] = colBest${g}[c];`)}
  }
  workgroupBarrier();
  if (lid < TILE && blockQ + lid < P) {
    keepColumnMinimum(block.pair, blockQ + lid, blockMinimum(lid));
  }
}
`;
