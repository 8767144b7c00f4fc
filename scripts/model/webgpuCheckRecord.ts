// How the install's WebGPU-vs-WASM check (webgpuCheck.ts) reads and writes a manifest's variants.
import type { ModelManifest, ModelVariant, WebGpuInstallCheck } from '../../src/encoders/manifest.ts';

/** The variant WASM runs for comparison: the same dtype where WASM offers it, else fp32. */
export function referenceFor(manifest: ModelManifest, variant: ModelVariant): ModelVariant | undefined {
  const wasm = manifest.variants.filter((v) => v.backends.includes('wasm'));
  return wasm.find((v) => v.dtype === variant.dtype) ?? wasm.find((v) => v.dtype === 'fp32');
}

/** Records a check on the variant; one that disagreed is taken off WebGPU. */
export function recordCheck(variant: ModelVariant, check: WebGpuInstallCheck): ModelVariant {
  const disagrees = 'agrees' in check && !check.agrees;
  return {
    ...variant,
    webgpuCheck: check,
    backends: disagrees ? variant.backends.filter((b) => b !== 'webgpu') : variant.backends,
  };
}

/** A rewritten manifest keeps the check of a variant whose file did not change, so a re-install does not re-run it. */
export function keepCheck(previous: ModelManifest | null, variant: ModelVariant): ModelVariant {
  const before = previous?.variants.find((v) => v.dtype === variant.dtype && v.sha256 === variant.sha256);
  return before?.webgpuCheck ? recordCheck(variant, before.webgpuCheck) : variant;
}
