// Pure TypeScript similarity kernel: S = A·Bᵀ for row-major A [m, dim] and B [n, dim].
// Blocked so a slab of B rows stays in cache while every row of A passes over it; a 2×4
// register tile reuses each loaded value. Sums run in float64 (at least the f32 accuracy the
// contract asks for) and are stored as float32.

import type { SimilarityKernel } from '../types.ts';

/** Rows of B kept hot per pass (64 rows × 1024 dims × 4 B = 256 KiB, about an L2 cache). */
const B_SLAB_ROWS = 64;

function dot(a: Float32Array, ai: number, b: Float32Array, bj: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += a[ai + k] * b[bj + k];
  return s;
}

export function matmulT(a: Float32Array, m: number, b: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(m * n);
  for (let j0 = 0; j0 < n; j0 += B_SLAB_ROWS) {
    const j1 = Math.min(n, j0 + B_SLAB_ROWS);
    const jTiled = j0 + Math.floor((j1 - j0) / 4) * 4;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = i * dim;
      const a1 = a0 + dim;
      for (let j = j0; j < jTiled; j += 4) {
        const b0 = j * dim;
        const b1 = b0 + dim;
        const b2 = b1 + dim;
        const b3 = b2 + dim;
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        for (let k = 0; k < dim; k++) {
          const x0 = a[a0 + k];
          const x1 = a[a1 + k];
          const y0 = b[b0 + k];
          const y1 = b[b1 + k];
          const y2 = b[b2 + k];
          const y3 = b[b3 + k];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        const o0 = i * n + j;
        const o1 = o0 + n;
        out[o0] = s00;
        out[o0 + 1] = s01;
        out[o0 + 2] = s02;
        out[o0 + 3] = s03;
        out[o1] = s10;
        out[o1 + 1] = s11;
        out[o1 + 2] = s12;
        out[o1 + 3] = s13;
      }
      for (let j = jTiled; j < j1; j++) {
        out[i * n + j] = dot(a, a0, b, j * dim, dim);
        out[(i + 1) * n + j] = dot(a, a1, b, j * dim, dim);
      }
    }
    for (; i < m; i++) {
      for (let j = j0; j < j1; j++) out[i * n + j] = dot(a, i * dim, b, j * dim, dim);
    }
  }
  return out;
}

export const tsKernel: SimilarityKernel = {
  name: 'ts',
  matmulT: (a, m, b, n, dim) => Promise.resolve(matmulT(a, m, b, n, dim)),
};
