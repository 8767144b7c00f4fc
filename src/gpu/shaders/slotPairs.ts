// Pair kernel of the feature slots (slots.ts): one image i against a list of target slots, each
// workgroup one block (shaders/nearestBlock.ts) of i against one target j. Row minima (i scored
// by j) go to forward[p·targets + t], column minima (j scored by i) to backward[t·P + q], both
// with the nearest table's encoding (shaders/msm.ts): cleared to 0, atomicMax of ~bits(t).

import { nearestBlockFns } from './nearestBlock.ts';
import { featurePrelude } from './storage.ts';

/** Slots hold the CPU's f32 rows as they are. */
export const slotPairsShader = (): string => `${featurePrelude('f32')}
struct Params {
  targetBase: u32,   // first target of this dispatch
  patches: u32,
  dimVec4: u32,      // padded dim / 4
  targets: u32,      // targets in the tables: the forward table's row length
  image: u32,        // i's place in its chunk (featuresA, normsA)
}

@group(0) @binding(0) var<uniform> params: Params;
/** (t, place of slot js[t] in its chunk (featuresB, normsB)) */
@group(0) @binding(1) var<storage, read> targets: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> featuresA: array<vec4<Feature>>;
@group(0) @binding(3) var<storage, read> featuresB: array<vec4<Feature>>;
@group(0) @binding(4) var<storage, read> normsA: array<f32>;
@group(0) @binding(5) var<storage, read> normsB: array<f32>;
@group(0) @binding(6) var<storage, read_write> forward: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> backward: array<atomic<u32>>;
${nearestBlockFns}
fn rowNorm(index: u32) -> f32 {
  return normsA[index];
}

fn columnNorm(index: u32) -> f32 {
  return normsB[index];
}

fn keepRowMinimum(pair: vec2<u32>, p: u32, t: f32) {
  atomicMax(&forward[p * params.targets + pair.x], ~bitcast<u32>(t));
}

fn keepColumnMinimum(pair: vec2<u32>, q: u32, t: f32) {
  atomicMax(&backward[pair.x * params.patches + q], ~bitcast<u32>(t));
}

@compute @workgroup_size(SIDE, SIDE)
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(local_invocation_id) local: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let pair = targets[params.targetBase + wg.z];
  let P = params.patches;
  let rowA = params.image * P;
  let rowB = pair.y * P;
  nearestBlock(wg, local, lid, Block(pair, P, params.dimVec4, rowA, rowB, rowA, rowB));
}
`;
