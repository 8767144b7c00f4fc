// Feature slots on WebGPU (slots.ts) on Dawn in Node against the CPU's matmul slots: every
// forward and backward distance, over shapes off the tile and vec4 grid, slot reuse, growth past
// the initial capacity, target lists with gaps and forced chunking; then a scoring session on each.

import { afterAll, describe, expect, it } from 'vitest';
import { tsKernel } from '../engine/kernels/tsKernel.ts';
import { perDegree } from '../engine/layerSlots.ts';
import { matmulSlots, type FeatureSlots, type PairRow } from '../engine/msm.ts';
import { randomUnitRows, randomValues, seededRandom } from '../engine/random.ts';
import { ScoringSession, type SessionConfig } from '../engine/session/session.ts';
import { DEFAULT_CONFIG, type LayerFeatures, type MuscInput } from '../engine/types.ts';
import { nodeDevice, unavailable } from './nodeDevice.testing.ts';

const TOLERANCE = 1e-5;
const cpuSlots = matmulSlots(tsKernel);

function worstOf(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < actual.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
  return Number.isNaN(worst) ? Infinity : worst;
}

const rowWorst = (gpu: PairRow, cpu: PairRow): number =>
  Math.max(worstOf(gpu.forward, cpu.forward), worstOf(gpu.backward, cpu.backward));

describe.skipIf(unavailable !== null)(`feature slots on Dawn (${unavailable ?? 'adapter found'})`, async () => {
  const { gpuSlots } = await import('./slots.ts');
  const device = nodeDevice();
  const measured: string[] = [];
  afterAll(() => console.log(`worst |GPU − CPU|:\n  ${measured.join('\n  ')}`));

  /** Puts the same images in both, overwrites slot 3, then compares pairs of several target lists. */
  async function comparePairs(
    gpu: FeatureSlots,
    patches: number,
    dim: number,
    images: number,
    seed: number,
  ): Promise<number> {
    const cpu = cpuSlots(patches, dim);
    const random = seededRandom(seed);
    const put = (slot: number) => {
      const z = randomUnitRows(patches, dim, random);
      gpu.put(slot, z);
      cpu.put(slot, z);
    };
    for (let slot = 0; slot < images; slot++) put(slot);
    put(3);
    const all = [...Array(images).keys()];
    const lists: Array<[number, number[]]> = [
      [0, all.slice(1)],
      [5, [0, 2, 3, images - 2, images - 1]],
      [images - 1, [3]],
      [3, all.filter((j) => j !== 3 && j % 3 !== 1)],
      [2, []],
    ];
    let worst = 0;
    for (const [i, js] of lists) worst = Math.max(worst, rowWorst(await gpu.pairs(i, js), await cpu.pairs(i, js)));
    return worst;
  }

  const factory = gpuSlots(device);
  it.each([
    [9, 5, 12],
    [70, 30, 11],
    [64, 16, 10],
    [130, 67, 9],
  ])('equals the matmul slots: %i patches × %i dims, %i images', async (patches, dim, images) => {
    const slots = factory(patches, dim);
    const worst = await comparePairs(slots, patches, dim, images, patches * 1000 + dim);
    slots.destroy?.();
    measured.push(`${patches}×${dim}, ${images} images: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    [1, 'one image per chunk, 8 targets per table'],
    [3, 'three images per chunk'],
  ])('splits the store and the tables under a binding cap (%i: %s)', async (perChunk) => {
    const [patches, dim, images] = [20, 5, 14];
    const slots = gpuSlots(device, { maxBindingBytes: perChunk * patches * 8 * 4 })(patches, dim);
    const worst = await comparePairs(slots, patches, dim, images, 77 + perChunk);
    slots.destroy?.();
    measured.push(`${patches}×${dim}, ${images} images, ${perChunk} per chunk: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  it('refuses a slot that holds no image and a misshapen image', async () => {
    const slots = factory(9, 5);
    slots.put(0, randomUnitRows(9, 5, seededRandom(1)));
    await expect(slots.pairs(0, [1])).rejects.toThrow('feature slot 1 holds no image');
    expect(() => slots.put(1, new Float32Array(44))).toThrow(RangeError);
    slots.destroy?.();
  });

  it('says in plain words when the GPU has no memory left for a batch’s features', async () => {
    // The device as it is, but for the out-of-memory scope a put pushes, which reports an error
    // as a GPU out of memory would: only MuScope's reading of it is under test.
    const scopes: GPUErrorFilter[] = [];
    const full = new Proxy(device, {
      get(target, name) {
        if (name === 'pushErrorScope')
          return (filter: GPUErrorFilter) => (scopes.push(filter), target.pushErrorScope(filter));
        if (name === 'popErrorScope')
          return async () => {
            const error = await target.popErrorScope();
            return scopes.pop() === 'out-of-memory' ? { message: 'out of memory (injected)' } : error;
          };
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const slots = gpuSlots(full)(9, 5);
    slots.put(0, randomUnitRows(9, 5, seededRandom(2)));
    await expect(slots.pairs(0, [0])).rejects.toMatchObject({
      code: 'batch-too-large',
      message: expect.stringMatching(/^The GPU has no memory left for this batch's image features .* choose WASM/),
    });
    slots.destroy?.();
  });

  it('scores a session like the matmul slots, through adds, a remove and a reused slot', async () => {
    const [grid, dims, poolSize] = [9, [5, 70], 11];
    const random = seededRandom(21);
    const pool: LayerFeatures[] = dims.map((dim) => ({
      data: randomValues(poolSize * (1 + grid * grid) * dim, random),
      images: poolSize,
      grid,
      dim,
      skip: 1,
    }));
    const pick = (picks: number[]): MuscInput => ({
      layers: pool.map((l) => {
        const size = (l.skip + grid * grid) * l.dim;
        const data = new Float32Array(picks.length * size);
        picks.forEach((from, to) => data.set(l.data.subarray(from * size, (from + 1) * size), to * size));
        return { ...l, images: picks.length, data };
      }),
      embeddings: null,
      embedDim: 0,
    });
    const config: SessionConfig = {
      ...DEFAULT_CONFIG,
      rList: [1, 3],
      imageSize: 12,
      forceSmallBatch: false,
      scorers: 'all',
    };
    const gpu = new ScoringSession(config, dims.length, perDegree(gpuSlots(device)));
    const cpu = new ScoringSession(config, dims.length, perDegree(cpuSlots));
    const add = async (picks: number[]) => {
      for (const session of [gpu, cpu])
        await session.add(
          picks.map((n) => ({ id: `img${n}`, role: 'query' as const })),
          pick(picks),
        );
    };
    let worst = 0;
    const compare = () => {
      const [a, b] = [gpu.state().images, cpu.state().images];
      expect(a.map((image) => image.id)).toEqual(b.map((image) => image.id));
      a.forEach((image, k) => {
        expect(image.patchScores === null).toBe(b[k].patchScores === null);
        worst = Math.max(worst, worstOf(image.patchScores ?? [], b[k].patchScores ?? []));
      });
      expect(a.filter((image) => image.patchScores !== null).length).toBeGreaterThan(0);
    };
    await add([0, 1, 2, 3, 4, 5]);
    compare();
    await add([6, 7]);
    compare();
    for (const session of [gpu, cpu]) await session.remove(['img2']);
    compare();
    await add([8, 9, 10]); // img8 takes the freed slot 2; img10 grows the store past 8 slots
    compare();
    measured.push(`session patch scores: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    gpu.close();
    expect(gpu.state().images).toEqual([]);
  });
});
