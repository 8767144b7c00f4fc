// Seeded random numbers: reproducible CLI subset splits, test data and benchmark features.

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values uniform in [−1, 1). */
export function randomValues(count: number, random: () => number): Float32Array {
  return Float32Array.from({ length: count }, () => 2 * random() - 1);
}

/** `rows` random unit vectors of `dim` values, row-major. */
export function randomUnitRows(rows: number, dim: number, random: () => number): Float32Array {
  const out = randomValues(rows * dim, random);
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * dim, (r + 1) * dim);
    const norm = Math.hypot(...row);
    for (let d = 0; d < dim; d++) row[d] /= norm;
  }
  return out;
}
