import { describe, expect, it } from 'vitest';
import type { ModelManifest, ModelVariant, WebGpuInstallCheck } from '../../src/encoders/manifest.ts';
import { keepCheck, recordCheck, referenceFor } from './webgpuCheckRecord.ts';

const variant = (
  dtype: ModelVariant['dtype'],
  backends: ModelVariant['backends'],
  sha256: string = dtype,
): ModelVariant => ({ dtype, file: `${dtype}.onnx`, bytes: 1, sha256, backends });
const fp32 = variant('fp32', ['webgpu', 'wasm', 'node']);
const fp16 = variant('fp16', ['webgpu']);
const int8w = variant('int8-weight', ['webgpu', 'wasm', 'node']);
const manifest = { variants: [fp32, fp16, int8w] } as ModelManifest;
const measured = (maxRelative: number | null, agrees: boolean): WebGpuInstallCheck => ({
  maxRelative,
  tolerance: 1e-3,
  agrees,
  against: 'fp32',
  adapter: 'test',
  checkedAt: 'now',
});

describe('the install-time WebGPU check record', () => {
  it('compares with the same variant on WASM, else fp32', () => {
    expect(referenceFor(manifest, int8w)).toBe(int8w);
    expect(referenceFor(manifest, fp16)).toBe(fp32);
  });

  it('keeps an agreeing variant on WebGPU and takes a disagreeing one off', () => {
    expect(recordCheck(int8w, measured(2e-6, true)).backends).toEqual(['webgpu', 'wasm', 'node']);
    const off = recordCheck(int8w, measured(0.2, false));
    expect(off.backends).toEqual(['wasm', 'node']);
    expect(off.webgpuCheck).toMatchObject({ maxRelative: 0.2, agrees: false });
    expect(recordCheck(fp16, { notRun: 'no shader-f16', checkedAt: 'now' }).backends).toEqual(['webgpu']);
  });

  it('survives a rewrite of the manifest only while the file is the same', () => {
    const previous = { variants: [recordCheck(int8w, measured(0.2, false))] } as ModelManifest;
    expect(keepCheck(previous, int8w)).toEqual(previous.variants[0]);
    expect(keepCheck(previous, variant('int8-weight', ['webgpu', 'wasm', 'node'], 'rebuilt'))).not.toHaveProperty(
      'webgpuCheck',
    );
    expect(keepCheck(null, int8w)).toBe(int8w);
  });
});
