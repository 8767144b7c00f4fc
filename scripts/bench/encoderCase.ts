// Encoder speed in Node: ms/image for every installed real model and each variant the CPU runs,
// on a batch of the deterministic probe image (onnxruntime-node, all cores).
import { probeInput } from '../../src/encoders/probeInput.ts';
import { verifiedVariantPath } from '../../src/platform/node/models.ts';
import { createNodeRunner } from '../../src/platform/node/ortRunner.ts';
import type { BenchRecord } from './cases.ts';
import { installedRealModels } from './realModels.ts';

const IMAGES = 8;

export async function runEncoderCase(emit: (r: BenchRecord) => void): Promise<void> {
  for (const manifest of installedRealModels()) {
    const { id } = manifest;
    const size = manifest.input.size;
    const one = probeInput(size);
    for (const variant of manifest.variants.filter((v) => v.backends.includes('node'))) {
      const { path } = await verifiedVariantPath(manifest, variant.dtype);
      const runner = await createNodeRunner(path, manifest);
      await runner.run(one, 1); // warm-up
      const t0 = performance.now();
      for (let i = 0; i < IMAGES; i++) await runner.run(one, 1);
      emit({
        case: 'encoder',
        backend: 'node-ort',
        model: id,
        variant: variant.dtype,
        size,
        ms_per_image: +((performance.now() - t0) / IMAGES).toFixed(1),
      });
      await runner.close();
    }
  }
}
