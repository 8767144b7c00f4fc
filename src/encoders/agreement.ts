// WebGPU-vs-WASM agreement of one model variant on the probe input (docs/architecture-platform.md §3: quantized
// WebGPU paths have given silently wrong output). The measure is the largest absolute difference
// of any output value over that output's largest magnitude on WASM.
import type { VariantDtype } from './manifest.ts';

export type ProbeOutputs = Record<string, { dims: readonly number[]; data: ArrayLike<number> }>;

/** Largest |gpu − cpu| over max |cpu| of each output; Infinity when the outputs differ in names or shapes. */
export function worstRelative(gpu: ProbeOutputs, cpu: ProbeOutputs): number {
  const names = Object.keys(cpu);
  if (Object.keys(gpu).length !== names.length) return Infinity;
  let worst = 0;
  for (const name of names) {
    const a = gpu[name];
    const b = cpu[name];
    if (!a || a.dims.join() !== b.dims.join()) return Infinity;
    let scale = 1e-6;
    for (let i = 0; i < b.data.length; i++) scale = Math.max(scale, Math.abs(b.data[i]));
    for (let i = 0; i < b.data.length; i++) {
      const d = Math.abs(a.data[i] - b.data[i]) / scale;
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  }
  return worst;
}

/**
 * The largest worstRelative a variant may show and still run on WebGPU. With f32 arithmetic on
 * both sides (fp32, int8-weight) it stays below 1e-4 (ResNet50-v2 fp32 on SwiftShader: 1.1e-6);
 * fp16 runs in half precision on the GPU but in f32 on WASM, so it gets a looser bound, not yet
 * measured: no adapter here has shader-f16.
 */
export function agreementTolerance(gpuDtype: VariantDtype): number {
  return gpuDtype === 'fp16' ? 2e-2 : 1e-3;
}
