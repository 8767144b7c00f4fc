// Every LNAMD degree of one layer's image pairs (degreeGram.ts) from a matmul kernel: the product
// G of image i with a run of consecutive images comes from one matmulT call (onnxruntime's MatMul
// in Node), then each pair's block goes through the window sums and minima (degreeWindows.ts).
import { degreeImage, degreeRows, placePair, type DegreeNorms } from '../degreeGram.ts';
import { DEFAULT_MAX_TILE_BYTES, type PairRow } from '../msm.ts';
import type { LayerFeatures, SimilarityKernel } from '../types.ts';
import { DegreeWindows } from './degreeWindows.ts';

/**
 * Pairs of images of `layer` at every degree, one PairRow per degree: image k of the pairs is
 * image order[k] of the layer (candidates.ts ring order), or image k without an order.
 */
export function matmulDegreePairs(
  layer: LayerFeatures,
  degrees: readonly number[],
  kernel: SimilarityKernel,
  order: ArrayLike<number> | null = null,
  maxTileBytes = DEFAULT_MAX_TILE_BYTES,
): (i: number, js: readonly number[]) => Promise<PairRow[]> {
  const { images, grid, dim } = layer;
  const patches = grid * grid;
  const size = patches * dim;
  const centred = new Float32Array(images * size);
  const norms: DegreeNorms[] = [];
  for (let k = 0; k < images; k++) {
    const prepared = degreeImage(layer, order ? order[k] : k, degrees);
    centred.set(prepared.centred, k * size);
    norms.push(prepared);
  }
  const { windows, product } = DegreeWindows.alone(grid, degrees);
  const widest = Math.max(1, Math.floor(maxTileBytes / 4 / (patches * patches)));
  return async (i, js) => {
    const count = js.length;
    const rows = degreeRows(degrees.length, patches, count);
    const a = centred.subarray(i * size, (i + 1) * size);
    for (let t0 = 0; t0 < count;) {
      // a run of consecutive images js[t0 …] = j0, j0+1, …, as wide as a tile allows
      const j0 = js[t0];
      let run = 1;
      while (run < widest && t0 + run < count && js[t0 + run] === j0 + run) run++;
      const width = run * patches;
      const g = await kernel.matmulT(a, patches, centred.subarray(j0 * size, (j0 + run) * size), width, dim);
      for (let jj = 0; jj < run; jj++) {
        for (let p = 0; p < patches; p++)
          product.set(g.subarray(p * width + jj * patches, p * width + (jj + 1) * patches), p * patches);
        placePair(rows, windows.pair(0, patches, norms[i], norms[j0 + jj]), t0 + jj, count);
      }
      t0 += run;
    }
    return rows;
  };
}
