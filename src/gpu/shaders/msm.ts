// MSM pair kernel over a feature set's triangle: each workgroup computes one
// block of an unordered pair i < j (shaders/nearestBlock.ts) and merges its row minima (i scored
// by j) and column minima (j scored by i) into the nearest table with atomics.
//
// Table encoding: the table is cleared to 0 and holds ~bits(t). For t ≥ 0 the f32 bit pattern
// orders like the value, so the complement turns "smallest t" into atomicMax, and a cleared
// entry decodes to NaN (never written), which the interval step would expose.

import { NEAREST_TILE, nearestBlockFns } from './nearestBlock.ts';
import { featurePrelude, type FeatureStorage } from './storage.ts';

export const MSM_TILE = NEAREST_TILE;

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
${nearestBlockFns}
fn rowNorm(index: u32) -> f32 {
  return norms[index];
}

fn columnNorm(index: u32) -> f32 {
  return norms[index];
}

fn tableIndex(image: u32, cell: u32, slot: u32) -> u32 {
  return ((image - params.tableFirst) * params.patches + cell) * params.scorers + slot;
}

fn inTable(image: u32) -> bool {
  return image >= params.tableFirst && image < params.tableFirst + params.tableCount;
}

/** i's patch p scored by image j goes to slot j − 1 of i's row (j > i). */
fn keepRowMinimum(pair: vec2<u32>, p: u32, t: f32) {
  if (inTable(pair.x)) {
    atomicMax(&table[tableIndex(pair.x, p, pair.y - 1u)], ~bitcast<u32>(t));
  }
}

/** j's patch q scored by image i goes to slot i of j's row (i < j). */
fn keepColumnMinimum(pair: vec2<u32>, q: u32, t: f32) {
  if (inTable(pair.y)) {
    atomicMax(&table[tableIndex(pair.y, q, pair.x)], ~bitcast<u32>(t));
  }
}

@compute @workgroup_size(SIDE, SIDE)
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(local_invocation_id) local: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let pair = pairs[params.pairBase + wg.z];
  let P = params.patches;
  let rowA = (pair.x - params.imageBaseA) * P;
  let rowB = (pair.y - params.imageBaseB) * P;
  nearestBlock(wg, local, lid, Block(pair, P, params.dimVec4, rowA, rowB, pair.x * P, pair.y * P));
}
`;
}
