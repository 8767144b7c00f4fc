import { describe, expect, it } from 'vitest';
import { EncoderError } from './errors.ts';
import { encodeImages } from './encode.ts';
import type { ModelManifest, TapSpec } from './manifest.ts';
import type { EncoderOutputs, EncoderRunner } from './runner.ts';
import { featureGrid, MuscInputBuilder } from './taps.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';

function manifest(taps: TapSpec[], embedding: ModelManifest['embedding'], size = 8): ModelManifest {
  return {
    schema: 1,
    id: 'test',
    displayName: 'test',
    family: taps[0].layout === 'nchw' ? 'cnn' : 'clip',
    fixture: true,
    license: 'none',
    source: 'test',
    input: {
      name: 'image',
      size,
      layout: 'nchw',
      resize: 'bilinear',
      normalization: { insideGraph: true, mean: [0, 0, 0], std: [1, 1, 1] },
    },
    taps,
    embedding,
    variants: [],
  };
}

const nchwTap = (name: string, dim: number, grid = 2): TapSpec => ({
  name,
  layout: 'nchw',
  grid,
  dim,
  hasCls: false,
  registers: 0,
});
const cnn = manifest([nchwTap('fine', 1), nchwTap('coarse', 2)], {
  name: 'coarse',
  source: 'global-average-of-tap',
  dim: 2,
  normalized: false,
  l2Normalize: true,
});

/** [batch, C, H, W] filled by f(image, channel, y, x) */
function nchw(
  batch: number,
  channels: number,
  side: number,
  f: (n: number, c: number, y: number, x: number) => number,
) {
  const data = new Float32Array(batch * channels * side * side);
  let i = 0;
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data[i++] = f(n, c, y, x);
  return { data, dims: [batch, channels, side, side] };
}

describe('featureGrid', () => {
  it('scales the CNN grid with the input size (size/16 for the trunks) unless overridden', () => {
    const trunk = manifest([nchwTap('a', 4, 14)], null, 224);
    expect(featureGrid(trunk, 224)).toBe(14);
    expect(featureGrid(trunk, 320)).toBe(20);
    expect(featureGrid(trunk, 224, 28)).toBe(28);
  });

  it('requires token models to run at a multiple of the patch size', () => {
    const vit = manifest([{ name: 't', layout: 'tokens', grid: 37, dim: 4, hasCls: true, registers: 0 }], null, 518);
    expect(featureGrid(vit, 336)).toBe(24);
    expect(() => featureGrid(vit, 300)).toThrow(/multiple of .* patch size 14/);
  });
});

describe('MuscInputBuilder', () => {
  it('resamples CNN taps to the common grid as patch tokens and averages the embedding tap', () => {
    const builder = new MuscInputBuilder(cnn, 3, 2);
    // batch 1: 2 images; `fine` is 4×4 (2× the grid): each 2×2 block averages to its bilinear sample
    const fine = (n: number) => nchw(n, 1, 4, (i, _c, y, x) => 100 * i + 10 * Math.floor(y / 2) + Math.floor(x / 2));
    const coarse = (n: number, offset: number) => nchw(n, 2, 2, (i, c) => (c === 0 ? 3 : 4) * (1 + i + offset));
    builder.add({ fine: fine(2), coarse: coarse(2, 0) }, 2);
    builder.add({ fine: fine(1), coarse: coarse(1, 2) }, 1);
    const input = builder.build();
    expect(input.layers.map((l) => [l.images, l.grid, l.dim, l.skip])).toEqual([
      [3, 2, 1, 0],
      [3, 2, 2, 0],
    ]);
    // 4→2 with align_corners=false samples the centre of each 2×2 block, whose values are equal
    expect(Array.from(input.layers[0].data)).toEqual([0, 1, 10, 11, 100, 101, 110, 111, 0, 1, 10, 11]);
    // coarse tokens: [patch][channel]
    expect(Array.from(input.layers[1].data.subarray(0, 4))).toEqual([3, 4, 3, 4]);
    // global average (3k, 4k) L2-normalised → (0.6, 0.8) for every image
    expect(Array.from(input.embeddings as Float32Array)).toEqual([0.6, 0.8, 0.6, 0.8, 0.6, 0.8].map(Math.fround));
    expect(input.embedDim).toBe(2);
  });

  it('copies token taps with their CLS and register tokens; a graph embedding is L2-normalised only when asked', () => {
    const tokens = Float32Array.from({ length: 6 * 3 }, (_, i) => i);
    const outputs = { t: { data: tokens, dims: [1, 6, 3] }, e: { data: Float32Array.from([3, 4]), dims: [1, 2] } };
    const embeddingsWith = (l2Normalize: boolean) => {
      const vit = manifest([{ name: 't', layout: 'tokens', grid: 2, dim: 3, hasCls: true, registers: 1 }], {
        name: 'e',
        source: 'output',
        dim: 2,
        normalized: false,
        l2Normalize,
      });
      const builder = new MuscInputBuilder(vit, 1, 2);
      builder.add(outputs, 1);
      const input = builder.build();
      expect(input.layers[0].skip).toBe(2);
      expect(input.layers[0].data).toEqual(tokens);
      return Array.from(input.embeddings as Float32Array);
    };
    expect(embeddingsWith(false)).toEqual([3, 4]);
    expect(embeddingsWith(true)).toEqual([0.6, 0.8].map(Math.fround));
  });

  it('names the output when shapes are wrong or values are not finite', () => {
    const builder = new MuscInputBuilder(cnn, 1, 2);
    expect(() => builder.add({ fine: nchw(1, 5, 4, () => 0), coarse: nchw(1, 2, 2, () => 1) }, 1)).toThrow(
      /"fine" has shape \[1, 5, 4, 4\]/,
    );
    expect(() => builder.add({ coarse: nchw(1, 2, 2, () => 1) } as EncoderOutputs, 1)).toThrow(EncoderError);
    expect(() => builder.add({ fine: nchw(1, 1, 4, () => NaN), coarse: nchw(1, 2, 2, () => 1) }, 1)).toThrow(/NaN/);
    expect(() => builder.build()).toThrow(/0 of 1/);
  });
});

describe('encodeImages', () => {
  it('squash-resizes, batches and feeds [batch, 3, S, S] inputs in [0, 1], reporting progress', async () => {
    const seen: number[][] = [];
    const runner: EncoderRunner = {
      async run(input, batch) {
        seen.push([batch, input.length, Math.max(...input)]);
        return { fine: nchw(batch, 1, 4, () => 1), coarse: nchw(batch, 2, 2, () => 1) };
      },
    };
    const gray = (v: number, side: number): RgbImage => ({
      data: new Uint8Array(side * side * 3).fill(v),
      width: side,
      height: side,
      channels: 3,
    });
    const progress: number[] = [];
    const input = await encodeImages(runner, cnn, [gray(255, 16), gray(51, 8), gray(0, 5)], {
      batchSize: 2,
      onProgress: (p) => progress.push(p.done),
    });
    expect(seen).toEqual([
      [2, 2 * 3 * 64, 1],
      [1, 3 * 64, 0],
    ]);
    expect(progress).toEqual([0, 2, 3]);
    expect(input.layers[0].images).toBe(3);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const runner: EncoderRunner = { run: () => Promise.reject(new Error('not reached')) };
    const img: RgbImage = { data: new Uint8Array(8 * 8 * 3), width: 8, height: 8, channels: 3 };
    await expect(encodeImages(runner, cnn, [img], { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
