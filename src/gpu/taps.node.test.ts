// The GPU tap stage (taps.ts) and LNAMD on a DeviceLayer, on Dawn in Node, against the CPU engine:
// the same patch tokens as resampleNchw, the same channel means, the same scores as from CPU memory.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scorerWindow } from '../engine/config.ts';
import { goldenLayers } from '../engine/golden/checkGolden.ts';
import { parseGoldenCase } from '../engine/golden/goldenCase.ts';
import { resampleNchw } from '../engine/upsample.ts';
import { nodeDevice, unavailable } from './nodeDevice.testing.ts';

const goldenDir = process.env.MUSCOPE_GOLDEN_DIR ?? resolve(import.meta.dirname, '../../../shared/golden');

function maxRelative(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / scale;
}

describe.skipIf(unavailable !== null)(`GPU taps on Dawn (${unavailable ?? 'adapter found'})`, async () => {
  const { createWebGpuMusc } = await import('./index.ts');
  const { bufferWith, readBack } = await import('./buffers.ts');
  const device = nodeDevice();
  const musc = createWebGpuMusc(device);
  const upload = (values: Float32Array) =>
    bufferWith(device, values, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, 'encoder output');
  const read = async (buffer: GPUBuffer, floats: number) =>
    new Float32Array(await readBack(device, buffer, 0, floats * 4));
  const map = (channels: number, height: number, width: number) =>
    Float32Array.from({ length: channels * height * width }, (_, k) => Math.sin(k * 0.37) * 3 + Math.cos(k * 0.011));

  for (const [height, width, grid] of [
    [28, 28, 14],
    [14, 14, 14],
    [7, 9, 10],
  ]) {
    it(`resamples a ${height}×${width} map to ${grid}×${grid} patch tokens like resampleNchw`, async () => {
      const channels = 70; // not a multiple of the workgroup, so the edge threads are exercised
      const data = map(channels, height, width);
      const source = upload(data);
      const tokens = await musc.tapTokens(source, { layout: 'nchw', channels, height, width }, grid);
      const expected = resampleNchw({ data, images: 1, channels, height, width }, grid).data;
      expect(maxRelative(await read(tokens, grid * grid * channels), expected)).toBeLessThanOrEqual(1e-6);
      source.destroy();
      tokens.destroy();
    });
  }

  it('copies token taps as they are and averages CNN channels like the CPU', async () => {
    const values = map(5, 17, 12); // 17 tokens of 60 dims
    const source = upload(values);
    const tokens = await musc.tapTokens(source, { layout: 'tokens', tokens: 17, dim: 60 }, 4);
    expect(await read(tokens, values.length)).toEqual(values);
    const means = await (await musc.channelMeans(source, 5, 17, 12)).values;
    const expected = Float32Array.from(
      { length: 5 },
      (_, c) => values.subarray(c * 204, (c + 1) * 204).reduce((a, b) => a + b, 0) / 204,
    );
    expect(maxRelative(means, expected)).toBeLessThanOrEqual(1e-6);
    source.destroy();
    tokens.destroy();
  });

  it('scores a layer kept on the GPU exactly as the same layer in CPU memory, and reads it back unchanged', async () => {
    const golden = parseGoldenCase(JSON.parse(readFileSync(resolve(goldenDir, 'pipeline-small.json'), 'utf8')));
    if (golden.kind !== 'pipeline') throw new Error('pipeline-small is a pipeline case');
    const layer = goldenLayers(golden)[1];
    const perImageValues = (1 + layer.grid * layer.grid) * layer.dim;
    const perImage = await Promise.all(
      Array.from({ length: layer.images }, (_, n) => {
        const source = upload(layer.data.slice(n * perImageValues, (n + 1) * perImageValues));
        return musc.tapTokens(
          source,
          { layout: 'tokens', tokens: 1 + layer.grid * layer.grid, dim: layer.dim },
          layer.grid,
        );
      }),
    );
    const window = scorerWindow(layer.images, golden.config.interval, false);
    const deviceLayer = { images: layer.images, grid: layer.grid, dim: layer.dim, skip: 1, perImage };
    expect(await musc.scoreFeatureSet(deviceLayer, 3, window)).toEqual(await musc.scoreFeatureSet(layer, 3, window));
    expect((await musc.download(deviceLayer)).data).toEqual(layer.data);
  });
});
