// Layer slots (layerSlots.ts) on a matmul kernel, every LNAMD degree from one product per pair
// (degreeGram.ts): the product G of image i with a run of consecutive slots comes from one
// matmulT call (onnxruntime's MatMul in Node), then each pair's block goes through the window
// sums and minima (degreeWindows.ts). Growable, for a scoring session; a batch puts every image.
import { degreeImage, degreeRows, placePair, type DegreeNorms } from '../degreeGram.ts';
import { perDegree, sharesDegrees, type LayerSlots, type LayerSlotsFactory } from '../layerSlots.ts';
import { consecutiveRun, DEFAULT_MAX_TILE_BYTES, matmulSlots } from '../msm.ts';
import type { SimilarityKernel } from '../types.ts';
import { DegreeWindows } from './degreeWindows.ts';

function sharedSlots(
  grid: number,
  dim: number,
  degrees: readonly number[],
  kernel: SimilarityKernel,
  maxTileBytes: number,
): LayerSlots {
  const patches = grid * grid;
  const size = patches * dim;
  let centred = new Float32Array(0);
  const norms: DegreeNorms[] = [];
  const { windows, product } = DegreeWindows.alone(grid, degrees);
  const widest = Math.max(1, Math.floor(maxTileBytes / 4 / (patches * patches)));
  return {
    put(slot, image) {
      const prepared = degreeImage(image, 0, degrees);
      if ((slot + 1) * size > centred.length) {
        const grown = new Float32Array(Math.max(slot + 1, 2 * (centred.length / size), 8) * size);
        grown.set(centred);
        centred = grown;
      }
      centred.set(prepared.centred, slot * size);
      norms[slot] = prepared;
    },
    async pairs(i, js) {
      const count = js.length;
      const rows = degreeRows(degrees.length, patches, count);
      const a = centred.subarray(i * size, (i + 1) * size);
      for (let t0 = 0; t0 < count;) {
        const j0 = js[t0];
        const run = consecutiveRun(js, t0, widest);
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
    },
  };
}

/**
 * Layer slots on a matmul kernel: with degrees above 1 and every patch against every patch, the
 * degrees come from one product per pair; otherwise each degree's features are scored apart.
 */
export function matmulLayerSlots(kernel: SimilarityKernel, maxTileBytes = DEFAULT_MAX_TILE_BYTES): LayerSlotsFactory {
  return (grid, dim, degrees, bands) =>
    sharesDegrees(degrees, bands)
      ? sharedSlots(grid, dim, degrees, kernel, maxTileBytes)
      : perDegree(matmulSlots(kernel, maxTileBytes))(grid, dim, degrees, bands);
}
