// MSM rows on the WebAssembly SIMD kernel (wasm/nearest.wat): a feature set is copied into the
// kernel's memory once (or, for a scoring session, image by image into slots), then image i runs
// against a list of images, both directions, and returns nearest-patch distances (msm.ts
// PairRow). Plain TypeScript over WebAssembly, so it runs the same in a Web Worker, in Node and
// in Vitest; the browser spreads a session's pairs over several workers' slots
// (src/worker/msmPool.ts).
//
// Layout in the kernel's memory: the two minima buffers (for degree sharing, the product matrix
// and the window sums' buffers instead, NearestDegrees), then each image's `stride` rows of
// `width` floats followed by their float64 squared norms (NearestMemory). Rows are padded to a multiple of 4 floats with zeros (dot
// products unchanged), and images of fewer than 4 patches repeat their last patch (a minimum is
// unchanged by a duplicate), which meets the kernel's tile preconditions for any shape.

import { allPatches, isExact, patchBlocks, type PatchBands, type PatchBlock } from '../alignment.ts';
import { degreeImage, degreeRows, placePair, type DegreeNorms } from '../degreeGram.ts';
import { perDegree, sharesDegrees, type LayerSlots, type LayerSlotsFactory } from '../layerSlots.ts';
import { lnamd } from '../lnamd.ts';
import {
  distance,
  laterRows,
  mutualScoresByRows,
  squaredNorms,
  type FeatureSlots,
  type FeatureSlotsFactory,
  type PairRow,
  type PairRows,
} from '../msm.ts';
import type { FeatureSet, FeatureSetScorer, LayerFeatures } from '../types.ts';
import { DegreeWindows, productBytes } from './degreeWindows.ts';
import plainKernel from './wasm/nearest.wat';
import fusedKernel from './wasm/nearest.wat?fma';

interface NearestExports {
  nearest(
    a: number,
    rows: number,
    b: number,
    cols: number,
    dim: number,
    normsA: number,
    normsB: number,
    rowMin: number,
    colMin: number,
  ): void;
  gram(a: number, rows: number, b: number, cols: number, dim: number, out: number, outRowFloats: number): void;
}

const PAGE_BYTES = 65536;
const MAX_PAGES = 65536; // 4 GiB, wasm32's limit
const MIN_TILE_ROWS = 4;

/**
 * The kernel with fused multiply-adds where the engine has relaxed SIMD (about 1.2× faster in a
 * measurement of the kernel alone, README "Performance"); the plain one elsewhere. Fusing rounds each
 * product-sum once instead of twice: distances move by about 1e-7 relative.
 */
export type KernelFlavour = 'fma' | 'plain';
export const kernelFlavour: KernelFlavour = WebAssembly.validate(fusedKernel) ? 'fma' : 'plain';
const compiled = new Map<KernelFlavour, WebAssembly.Module>();

function kernelModule(flavour: KernelFlavour): WebAssembly.Module {
  const module = compiled.get(flavour) ?? new WebAssembly.Module(flavour === 'fma' ? fusedKernel : plainKernel);
  compiled.set(flavour, module);
  return module;
}

/**
 * Images in the kernel's memory: the two minima buffers, then one slot per image, each its rows
 * of `width` floats (dim padded), `stride` rows, followed by their float64 squared norms. No
 * offset depends on the number of slots, so the memory grows in place (WebAssembly.Memory.grow,
 * which engines do without a copy where the address space is reserved, as V8 and SpiderMonkey do
 * on 64-bit) as images arrive: never the old and the new memory at once, and at most a quarter
 * spare (an array list that doubles held up to twice the images and, while it copied, three times).
 */
class NearestMemory implements FeatureSlots {
  private readonly width: number;
  private readonly stride: number;
  private readonly slotBytes: number;
  /** the minima buffers, or the product matrix where it holds more */
  private readonly headerBytes: number;
  private readonly kernel: NearestExports;
  private readonly memory: WebAssembly.Memory;

  private readonly blocks: readonly PatchBlock[];

  /**
   * @param bands which patches meet (alignment.ts); bands other than one of every patch only come
   * for grids of 3 rows or more, so each block has ≥ 3 rows and ≥ 6 columns, as the kernel needs
   */
  constructor(
    private readonly patches: number,
    private readonly dim: number,
    capacity: number,
    private readonly flavour: KernelFlavour,
    bands: PatchBands = allPatches(patches),
    /** bytes after the product matrix that the caller uses (DegreeWindows); products kept only if > 0 */
    extraBytes = 0,
  ) {
    this.width = Math.ceil(dim / 4) * 4;
    this.stride = Math.max(patches, MIN_TILE_ROWS);
    // Every patch against every patch runs as one call over the padded stride (see put).
    const { stride } = this;
    this.blocks = isExact(bands) ? [{ rowStart: 0, rowEnd: stride, colStart: 0, colEnd: stride }] : patchBlocks(bands);
    this.slotBytes = stride * this.width * 4 + stride * 8;
    this.headerBytes = Math.max(2 * stride * 8, extraBytes > 0 ? this.extraAt + extraBytes : 0);
    this.memory = new WebAssembly.Memory({ initial: this.pagesFor(capacity) });
    this.kernel = new WebAssembly.Instance(kernelModule(this.flavour), { env: { memory: this.memory } })
      .exports as unknown as NearestExports;
  }

  /** Where the caller's bytes (extraBytes) start: after the product matrix. */
  get extraAt(): number {
    return productBytes(this.stride);
  }

  get kernelMemory(): WebAssembly.Memory {
    return this.memory;
  }

  private pagesFor(slots: number): number {
    const pages = Math.ceil((this.headerBytes + slots * this.slotBytes) / PAGE_BYTES);
    if (pages > MAX_PAGES) {
      throw new RangeError(
        `A feature set of ${slots} images × ${this.patches} patches × ${this.dim} values needs more than 4 GiB; score it in smaller batches.`,
      );
    }
    return pages;
  }

  private rowsAt(slot: number): number {
    return this.headerBytes + slot * this.slotBytes;
  }

  private normsAt(slot: number): number {
    return this.rowsAt(slot) + this.stride * this.width * 4;
  }

  put(slot: number, z: Float32Array): void {
    const pages = this.memory.buffer.byteLength / PAGE_BYTES;
    const needed = this.pagesFor(slot + 1);
    // A quarter more than needed: few grows, and little held spare should an engine copy on grow.
    if (needed > pages) this.memory.grow(Math.min(MAX_PAGES, Math.max(needed, Math.ceil(pages * 1.25))) - pages);
    const { patches, dim, stride, width } = this;
    const rows = new Float32Array(this.memory.buffer, this.rowsAt(slot), stride * width);
    const norms = new Float64Array(this.memory.buffer, this.normsAt(slot), stride);
    const source = squaredNorms(z, patches, dim);
    // Images of fewer than 4 patches repeat their last patch: a minimum is unchanged by a duplicate.
    for (let p = 0; p < stride; p++) {
      const from = Math.min(p, patches - 1);
      rows.set(z.subarray(from * dim, (from + 1) * dim), p * width);
      norms[p] = source[from];
    }
  }

  /** Every product of slot i's rows with slot j's, [stride, stride] float32 at byte 0, overwritten by the next call (a memory made with extraBytes). */
  gram(i: number, j: number): void {
    const { stride, width } = this;
    this.kernel.gram(this.rowsAt(i), stride, this.rowsAt(j), stride, width, 0, stride);
  }

  readonly pairs = (i: number, js: readonly number[]): Promise<PairRow> => {
    const { patches, stride, width, blocks } = this;
    const count = js.length;
    const forward = new Float32Array(patches * count);
    const backward = new Float32Array(count * patches);
    const { buffer } = this.memory;
    const rowMin = new Float64Array(buffer, 0, stride);
    const colMin = new Float64Array(buffer, stride * 8, stride);
    const normsI = new Float64Array(buffer, this.normsAt(i), stride);
    js.forEach((j, t) => {
      rowMin.fill(Infinity);
      colMin.fill(Infinity);
      for (const { rowStart, rowEnd, colStart, colEnd } of blocks) {
        this.kernel.nearest(
          this.rowsAt(i) + rowStart * width * 4,
          rowEnd - rowStart,
          this.rowsAt(j) + colStart * width * 4,
          colEnd - colStart,
          width,
          this.normsAt(i) + rowStart * 8,
          this.normsAt(j) + colStart * 8,
          rowStart * 8,
          stride * 8 + colStart * 8,
        );
      }
      const normsJ = new Float64Array(buffer, this.normsAt(j), stride);
      for (let p = 0; p < patches; p++) forward[p * count + t] = distance(rowMin[p] + normsI[p]);
      for (let q = 0; q < patches; q++) backward[t * patches + q] = distance(colMin[q] + normsJ[q]);
    });
    return Promise.resolve({ forward, backward });
  };
}

/** One layer's slots at every degree from one product per pair (degreeGram.ts): the kernel's `gram`, then window sums. */
class NearestDegrees implements LayerSlots {
  private readonly memory: NearestMemory;
  private readonly windows: DegreeWindows;
  private readonly norms: DegreeNorms[] = [];
  private readonly patches: number;
  private readonly stride: number;

  constructor(
    grid: number,
    dim: number,
    private readonly degrees: readonly number[],
  ) {
    this.patches = grid * grid;
    this.stride = Math.max(this.patches, MIN_TILE_ROWS);
    const memory = new NearestMemory(this.patches, dim, 8, kernelFlavour, undefined, DegreeWindows.bytes(grid));
    this.memory = memory;
    this.windows = new DegreeWindows(memory.kernelMemory, memory.extraAt, grid, degrees);
  }

  put(slot: number, image: LayerFeatures): void {
    const { centred, inverseNorms, unitNorms } = degreeImage(image, 0, this.degrees);
    this.memory.put(slot, centred);
    this.norms[slot] = { inverseNorms, unitNorms };
  }

  readonly pairs = (i: number, js: readonly number[]): Promise<PairRow[]> => {
    const { patches, stride } = this;
    const count = js.length;
    const rows = degreeRows(this.degrees.length, patches, count);
    js.forEach((j, t) => {
      this.memory.gram(i, j);
      placePair(rows, this.windows.pair(0, stride, this.norms[i], this.norms[j]), t, count);
    });
    return Promise.resolve(rows);
  };
}

/**
 * Growable slots of one layer at every degree for a scoring session: with degrees above 1 and
 * every patch against every patch, the degrees come from one product per pair; otherwise (one
 * degree 1, or aligned parts' bands) each degree's features are scored apart.
 */
export const nearestLayerSlots: LayerSlotsFactory = (grid, dim, degrees, bands) =>
  sharesDegrees(degrees, bands)
    ? new NearestDegrees(grid, dim, degrees)
    : perDegree(nearestSlots)(grid, dim, degrees, bands);

/** Loads the set into a fresh kernel instance; the returned rows read only that copy. */
export function createNearestRows(
  { z, images, patches, dim }: FeatureSet,
  flavour: KernelFlavour = kernelFlavour,
  bands?: PatchBands,
): PairRows {
  const memory = new NearestMemory(patches, dim, images, flavour, bands);
  for (let n = 0; n < images; n++) memory.put(n, z.subarray(n * patches * dim, (n + 1) * patches * dim));
  return laterRows(memory.pairs, images);
}

/** Growable feature slots on the WebAssembly kernel, for a scoring session. */
export const nearestSlots: FeatureSlotsFactory = (patches, dim, bands) =>
  new NearestMemory(patches, dim, 8, kernelFlavour, bands);

/** The WebAssembly kernel on the calling thread as a RunOptions.scoreFeatureSet (Node, tests): LNAMD on the CPU, then MSM by rows. */
export const nearestRowsScorer: FeatureSetScorer = async (layer, r, window, progress) => {
  const patches = layer.grid * layer.grid;
  const rows = createNearestRows({ z: lnamd(layer, r), images: layer.images, patches, dim: layer.dim });
  return mutualScoresByRows(layer.images, patches, window, rows, progress ?? {});
};
