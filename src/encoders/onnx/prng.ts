// A seeded PRNG (mulberry32): the same seed gives the same stream on every machine, and only
// integer arithmetic and exact divisions are involved, so the values are bit-identical too.
export interface Prng {
  /** uniform integer in [0, 2^32) */
  uint32(): number;
  /** uniform in [0, 1) */
  uniform(): number;
  /** uniform in [-scale, scale) */
  symmetric(scale: number): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = (): number => uint32() / 4294967296;
  return { uint32, uniform, symmetric: (scale) => (uniform() * 2 - 1) * scale };
}
