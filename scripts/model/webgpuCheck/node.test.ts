// The install's WebGPU check in Node: onnxruntime-web's WebGPU backend on Dawn runs an fp16
// variant (shader-f16: lavapipe has it, SwiftShader not) against fp32 on WASM and gives a figure.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../src/encoders/manifest.ts';
import { noF16 } from '../../../src/gpu/nodeDevice.testing.ts';
import { modelsDir } from '../../files/paths.ts';
import { nodeChecker } from './node.ts';

const MODEL = 'mobilenetv2-imagenet-trunk';
const manifestPath = resolve(modelsDir, MODEL, 'manifest.json');

describe.skipIf(noF16 !== null || !existsSync(manifestPath))(
  `WebGPU check on Dawn (${noF16 ?? 'shader-f16 adapter'})`,
  () => {
    it('runs the fp16 variant on the GPU against fp32 on WASM', async () => {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
      const file = (dtype: string) => manifest.variants.find((v) => v.dtype === dtype)?.file;
      const checker = await nodeChecker(modelsDir);
      if ('unavailable' in checker) throw new Error(checker.unavailable);
      expect(checker.adapter).toMatchObject({
        shaderF16: true,
        description: expect.stringContaining('(Dawn in Node)'),
      });
      const figures = await checker.check({
        input: manifest.input,
        gpu: { url: `/models/${MODEL}/${file('fp16')}`, dtype: 'fp16' },
        cpu: { url: `/models/${MODEL}/${file('fp32')}`, dtype: 'fp32' },
      });
      // f16 arithmetic, not a copy of the fp32 path (that agrees to ~4e-6), and not garbage.
      expect(figures.tolerance).toBe(2e-2);
      expect(figures.maxRelative).toBeGreaterThan(1e-3);
      expect(figures.maxRelative).toBeLessThan(0.2);
    });
  },
);
