// Every degree's nearest-patch distances of one image pair from its product matrix G
// (degreeGram.ts), on the WebAssembly SIMD kernel wasm/degrees.wat: G widened to float64, then per
// degree r > 1 the window sums S_r·G·S_rᵀ as four passes along the grid's axes, then both
// directions' minima. It shares the memory of the kernel that wrote G (nearestRows.ts).
import type { DegreeNearest, DegreeNorms } from '../degreeGram.ts';
import { distance } from '../msm.ts';
import degreesKernel from './wasm/degrees.wat';

interface DegreesExports {
  widen(src: number, rowStride: number, patches: number, dst: number): void;
  window(src: number, dst: number, outer: number, n: number, inner: number, radius: number): void;
  minima(
    h: number,
    patches: number,
    invA: number,
    unitA: number,
    invB: number,
    unitB: number,
    rows: number,
    cols: number,
  ): void;
}

let compiled: WebAssembly.Module | null = null;

/** Bytes of a side × side float32 product matrix, in whole float64s so what follows stays aligned. */
export const productBytes = (side: number): number => Math.ceil((side * side) / 2) * 8;

/** Where each float64 buffer lies, from `base`: three P² matrices, then six runs of P. */
function layout(base: number, patches: number) {
  const matrix = patches * patches * 8;
  const run = patches * 8;
  const runs = base + 3 * matrix;
  return {
    product: base,
    scratch: base + matrix,
    summed: base + 2 * matrix,
    invA: runs,
    unitA: runs + run,
    invB: runs + 2 * run,
    unitB: runs + 3 * run,
    rows: runs + 4 * run,
    cols: runs + 5 * run,
    end: runs + 6 * run,
  };
}

export class DegreeWindows {
  /** bytes the buffers take from `base` */
  static bytes(grid: number): number {
    return layout(0, grid * grid).end;
  }

  /** An instance on a memory of its own, whose product matrix G ([P, P] float32, rows P apart) the caller fills at byte 0. */
  static alone(grid: number, degrees: readonly number[]): { windows: DegreeWindows; product: Float32Array } {
    const patches = grid * grid;
    const base = productBytes(patches);
    const memory = new WebAssembly.Memory({ initial: Math.ceil((base + DegreeWindows.bytes(grid)) / 65536) });
    return {
      windows: new DegreeWindows(memory, base, grid, degrees),
      product: new Float32Array(memory.buffer, 0, patches * patches),
    };
  }

  private readonly kernel: DegreesExports;
  private readonly at: ReturnType<typeof layout>;
  private readonly patches: number;
  private readonly nearest: DegreeNearest;

  /** `base` (a multiple of 8) starts DegreeWindows.bytes(grid) of `memory` this instance owns */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly grid: number,
    private readonly degrees: readonly number[],
  ) {
    compiled ??= new WebAssembly.Module(degreesKernel);
    this.kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as DegreesExports;
    this.patches = grid * grid;
    this.at = layout(base, this.patches);
    this.nearest = {
      rows: degrees.map(() => new Float64Array(this.patches)),
      cols: degrees.map(() => new Float64Array(this.patches)),
    };
  }

  /**
   * Distances for images a and b from G = C_a·C_bᵀ, float32 at byte `gram` of the memory with rows
   * `rowStride` floats apart; the result is overwritten by the next call.
   */
  pair(gram: number, rowStride: number, a: DegreeNorms, b: DegreeNorms): DegreeNearest {
    const { kernel, grid, patches: P, at } = this;
    kernel.widen(gram, rowStride, P, at.product);
    const { buffer } = this.memory;
    const run = (offset: number): Float64Array => new Float64Array(buffer, offset, P);
    this.degrees.forEach((r, d) => {
      let windowed = at.product;
      if (r > 1) {
        const radius = (r - 1) / 2;
        // b's side: along each row of G, its x then y axis; then a's side, whole rows at a time
        kernel.window(at.product, at.summed, P * grid, grid, 1, radius);
        kernel.window(at.summed, at.scratch, P, grid, grid, radius);
        kernel.window(at.scratch, at.summed, grid, grid, P, radius);
        kernel.window(at.summed, at.scratch, 1, grid, grid * P, radius);
        windowed = at.scratch;
      }
      run(at.invA).set(a.inverseNorms[d]);
      run(at.unitA).set(a.unitNorms[d]);
      run(at.invB).set(b.inverseNorms[d]);
      run(at.unitB).set(b.unitNorms[d]);
      kernel.minima(windowed, P, at.invA, at.unitA, at.invB, at.unitB, at.rows, at.cols);
      const rows = run(at.rows);
      const cols = run(at.cols);
      const outRows = this.nearest.rows[d];
      const outCols = this.nearest.cols[d];
      for (let p = 0; p < P; p++) outRows[p] = distance(rows[p]);
      for (let q = 0; q < P; q++) outCols[q] = distance(cols[q]);
    });
    return this.nearest;
  }
}
