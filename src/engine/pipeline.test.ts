import { describe, expect, it } from 'vitest';
import { globalAverageEmbedding } from './embedding.ts';
import { MuscError } from './errors.ts';
import { anomalyMap, runMusc } from './pipeline.ts';
import { randomUnitRows, randomValues, seededRandom } from './random.ts';
import {
  DEFAULT_CONFIG,
  type LayerFeatures,
  type MuscConfig,
  type MuscInput,
  type MuscProgress,
  type NchwTensor,
} from './types.ts';
import { resampleNchw } from './upsample.ts';

const GRID = 4;
const DIM = 6;
const EMBED = 5;
const config = (over: Partial<MuscConfig> = {}): MuscConfig => ({ ...DEFAULT_CONFIG, imageSize: 16, ...over });

/** N images × 2 layers of random tokens with a CLS slot, and random unit embeddings. */
function randomInput(images: number, seed = 1): MuscInput {
  const random = seededRandom(seed);
  const layers = [0, 1].map((): LayerFeatures => ({
    data: randomValues(images * (1 + GRID * GRID) * DIM, random),
    images,
    grid: GRID,
    dim: DIM,
    skip: 1,
  }));
  return { layers, embeddings: randomUnitRows(images, EMBED, random), embedDim: EMBED };
}

/** The same batch with its images reordered: image k of the result is image order[k] of the input. */
function reorder(input: MuscInput, order: number[]): MuscInput {
  const pick = (data: Float32Array, rowSize: number) => {
    const out = new Float32Array(order.length * rowSize);
    order.forEach((from, to) => out.set(data.subarray(from * rowSize, (from + 1) * rowSize), to * rowSize));
    return out;
  };
  return {
    layers: input.layers.map((l) => ({
      ...l,
      images: order.length,
      data: pick(l.data, (l.skip + l.grid * l.grid) * l.dim),
    })),
    embeddings: input.embeddings && pick(input.embeddings, input.embedDim),
    embedDim: input.embedDim,
  };
}

const rejection = (run: Promise<unknown>) =>
  run.then(
    () => expect.unreachable('expected a MuscError'),
    (e: unknown) => e as MuscError,
  );

describe('runMusc', () => {
  it('permuting the images permutes every score', async () => {
    const input = randomInput(8);
    const order = [3, 0, 7, 1, 6, 2, 5, 4];
    const base = await runMusc(input, config());
    const permuted = await runMusc(reorder(input, order), config());
    const P = GRID * GRID;
    order.forEach((from, to) => {
      expect(permuted.imageScoresRaw[to]).toBeCloseTo(base.imageScoresRaw[from], 12);
      expect(permuted.imageScores[to]).toBeCloseTo(base.imageScores[from], 12);
      for (let p = 0; p < P; p++)
        expect(permuted.patchScores[to * P + p]).toBeCloseTo(base.patchScores[from * P + p], 12);
    });
  });

  it('adding a duplicate of an image lowers that image’s score', async () => {
    const input = randomInput(9);
    const base = await runMusc(input, config());
    const withTwin = await runMusc(reorder(input, [...Array(9).keys(), 4]), config());
    expect(withTwin.imageScoresRaw[4]).toBeLessThan(base.imageScoresRaw[4]);
    expect(withTwin.imageScoresRaw[9]).toBeCloseTo(withTwin.imageScoresRaw[4], 6);
  });

  it('averages layers then degrees, takes the image score as the max of its map, and keeps maps on demand', async () => {
    const input = randomInput(6);
    const result = await runMusc(input, config({ rList: [1, 3] }), { keepLayerScores: true });
    const perSet = 6 * GRID * GRID;
    const layerScores = result.layerScores as Float64Array;
    expect(layerScores.length).toBe(4 * perSet);
    for (let i = 0; i < perSet; i++) {
      const [r1l0, r1l1, r3l0, r3l1] = [0, 1, 2, 3].map((s) => layerScores[s * perSet + i]);
      expect(result.patchScores[i]).toBeCloseTo(((r1l0 + r1l1) / 2 + (r3l0 + r3l1) / 2) / 2, 12);
    }
    for (let n = 0; n < 6; n++) {
      const map = anomalyMap(result, n, 16);
      expect(map.length).toBe(256);
      expect(Math.max(...map)).toBeCloseTo(result.imageScoresRaw[n], 6);
    }
    expect(result.rscinWindows).toEqual([1, 2, 3]);
    expect(result.forcedSmallBatch).toBe(false);
  });

  it('skips RsCIN without embeddings: the image scores are the min-max of the raw ones', async () => {
    const result = await runMusc({ ...randomInput(6), embeddings: null }, config());
    const raw = Array.from(result.imageScoresRaw);
    const [min, max] = [Math.min(...raw), Math.max(...raw)];
    expect(Array.from(result.imageScores)).toEqual(raw.map((v) => (v - min) / (max - min)));
    expect(result.rscinWindows).toEqual([]);
  });

  it('never produces NaN: identical images give all-zero image scores', async () => {
    const one = randomInput(1);
    const same = reorder(one, [0, 0, 0, 0, 0, 0]);
    const result = await runMusc(same, config());
    expect(Array.from(result.imageScores)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.patchScores.every(Number.isFinite)).toBe(true);
  });

  it('refuses fewer than 5 images, or scores them when forced and says so', async () => {
    const e = await rejection(runMusc(randomInput(3), config()));
    expect(e.code).toBe('too-few-images');
    expect(e.message).toMatch(
      /^Mutual scoring needs at least 5 images of the same product; got 3\. Add more images, or score anyway/,
    );
    const forced = await runMusc(randomInput(3), config({ forceSmallBatch: true }));
    expect(forced.forcedSmallBatch).toBe(true);
    expect(forced.rscinWindows).toEqual([1, 2, 3]);
    expect([...forced.patchScores, ...forced.imageScores].every(Number.isFinite)).toBe(true);
  });

  it('explains input that does not fit together', async () => {
    const input = randomInput(6);
    const mismatched = {
      ...input,
      layers: [input.layers[0], { ...input.layers[1], grid: 2, data: new Float32Array(6 * 5 * DIM) }],
    };
    const e = await rejection(runMusc(mismatched, config()));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toBe(
      'Layer 2 has 6 images on a 2×2 grid but layer 1 has 6 on 4×4. Resample every layer to one grid (resampleNchw) and pass the same images to every layer.',
    );
    const badEmbeddings = await rejection(
      runMusc({ ...input, embeddings: new Float32Array(6 * EMBED).fill(NaN) }, config()),
    );
    expect(badEmbeddings.message).toMatch(/embeddings contain invalid numbers/);
  });

  it('reports progress through every stage and can be cancelled', async () => {
    const seen: MuscProgress[] = [];
    await runMusc(randomInput(5), config({ rList: [1] }), { onProgress: (p) => seen.push(p) });
    expect(new Set(seen.map((p) => p.stage))).toEqual(new Set(['lnamd', 'msm', 'maps', 'rscin']));
    const msm = seen.filter((p) => p.stage === 'msm');
    expect(msm.at(-1)).toEqual({ stage: 'msm', done: 20, total: 20 }); // 2 layers × 10 pairs

    const controller = new AbortController();
    controller.abort();
    const e = await rejection(runMusc(randomInput(5), config(), { signal: controller.signal }));
    expect(e.code).toBe('cancelled');
  });

  it('scores CNN taps resampled to one grid with the global-average embedding', async () => {
    const random = seededRandom(9);
    const tap = (channels: number, side: number): NchwTensor => ({
      data: randomValues(6 * channels * side * side, random).map(Math.abs), // post-ReLU: non-negative
      images: 6,
      channels,
      height: side,
      width: side,
    });
    const shallow = tap(3, 8);
    const deep = tap(5, 2);
    const result = await runMusc(
      {
        layers: [resampleNchw(shallow, 4), resampleNchw(deep, 4)],
        embeddings: globalAverageEmbedding(deep),
        embedDim: 5,
      },
      config(),
    );
    expect(result.grid).toBe(4);
    expect(result.imageScores.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
