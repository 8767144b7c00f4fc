// The GPU check's bench (bundled into one file by bundle.ts, run by run.sh on a borrowed
// machine): the WebGPU MSM through Dawn at the sizes of the README's table, then the encoder on
// onnxruntime-web's WebGPU backend through Dawn (the CLI's `--encoder webgpu` path). One JSON line
// per measurement on stdout, with the fields of `npm run bench -- --case msm --backends
// webgpu-node --json` and of `--case encoder`, and a readable line per measurement on stderr.
// A software adapter is named in `backend` (webgpu-node-lavapipe): CPU speed, never GPU speed.

import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web/webgpu';
import { probeInput } from '../../src/encoders/probeInput.ts';
import type { VariantDtype } from '../../src/encoders/manifest.ts';
import { loadManifest, verifiedVariantPath } from '../../src/platform/node/models.ts';
import { createWebGpuRunner } from '../../src/platform/node/ortWebGpuRunner.ts';
import { ortWebGpuInNode } from '../../src/platform/node/webgpu.ts';
import { adapterText, type BenchRecord } from '../bench/cases.ts';
import { runWebgpuNodeMsm, webgpuNodeLabel } from '../bench/nodeWebgpu.ts';

/** The README's MSM sizes; software adapters skip what the bench's cap skips (the largest here). */
const MSM_SIZES = [
  { images: 32, grid: 14, dim: 512 },
  { images: 40, grid: 14, dim: 768 },
  { images: 83, grid: 14, dim: 1024 },
  { images: 83, grid: 24, dim: 1024 },
];
/** The one model the bundle carries, and its GPU variants (fp16 only with shader-f16). */
const MODEL = 'mobilenetv2-imagenet-trunk';
const VARIANTS: VariantDtype[] = ['fp32', 'fp16'];
/** As scripts/bench/encoderCase.ts: one warm-up, then this many single images. */
const IMAGES = 8;

function emit(record: BenchRecord): void {
  console.log(JSON.stringify(record));
  const size = record.case === 'msm' ? `N=${record.images} ${record.grid}x${record.grid} D=${record.dim}` : '';
  const what = [record.case, record.backend, record.model, record.variant, size].filter(Boolean).join(' ');
  const result =
    record.skipped !== undefined
      ? `skipped: ${record.skipped}`
      : record.case === 'msm'
        ? `${record.ms} ms, ${record.gflops_effective} GFLOP/s effective`
        : `${record.ms_per_image} ms/image`;
  const software = String(record.backend).startsWith('webgpu-node-')
    ? ' (software adapter: CPU speed, not GPU speed)'
    : '';
  console.error(`[gpu-check] ${what}: ${result}${software}`);
}

async function encoderCase(): Promise<void> {
  const manifest = loadManifest(MODEL);
  const size = manifest.input.size;
  const one = probeInput(size);
  const common: BenchRecord = { case: 'encoder', backend: 'webgpu-node', model: MODEL };
  // The adapter onnxruntime-web will get, for its name and features (fp16 needs shader-f16).
  const found = await ortWebGpuInNode();
  if ('unavailable' in found) {
    emit({ ...common, skipped: found.unavailable });
    return;
  }
  const backend = webgpuNodeLabel(found.adapter.info);
  const adapter = adapterText(found.adapter.info);
  for (const dtype of VARIANTS) {
    const { path, variant } = await verifiedVariantPath(manifest, dtype);
    const named = { ...common, backend, variant: dtype, size, adapter };
    if (variant.requiresFeature && !found.adapter.features.has(variant.requiresFeature)) {
      emit({ ...named, skipped: `the adapter lacks ${variant.requiresFeature}` });
      continue;
    }
    const runner = await createWebGpuRunner(path, manifest);
    if ('unavailable' in runner) {
      emit({ ...named, skipped: runner.unavailable });
      continue;
    }
    try {
      await runner.run(one, 1); // warm-up: compiles the shaders
      const t0 = performance.now();
      for (let i = 0; i < IMAGES; i++) await runner.run(one, 1);
      emit({ ...named, ms_per_image: +((performance.now() - t0) / IMAGES).toFixed(1) });
    } finally {
      await runner.close();
    }
  }
}

// `--only msm|encoder` runs one half (run.sh passes its arguments on).
const { only } = parseArgs({ options: { only: { type: 'string' } } }).values;
if (only !== undefined && only !== 'msm' && only !== 'encoder') throw new Error(`--only msm|encoder, not ${only}`);
ort.env.logLevel = 'error';
if (only !== 'encoder') for (const size of MSM_SIZES) await runWebgpuNodeMsm({ ...size, emit });
if (only !== 'msm') await encoderCase();
