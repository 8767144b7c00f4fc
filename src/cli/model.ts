// Opens an installed model for the CLI: manifest, verified variant file, onnxruntime-node
// session on all cores, and the engine for MSM (msm.ts: onnxruntime MatMul, or WebGPU).

import { availableParallelism } from 'node:os';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import type { MsmEngine } from '../engine/golden/checkGolden.ts';
import { loadManifest, verifiedVariantPath } from '../node/models.ts';
import { createNodeRunner, type NodeEncoderRunner } from '../node/ortRunner.ts';
import { openMsm, type MsmBackend } from './msm.ts';

export interface OpenModel {
  manifest: ModelManifest;
  runner: NodeEncoderRunner;
  /** spread into runMusc's options */
  msm: MsmEngine;
  /** where mutual scoring runs when not on the default CPU kernel, for a note */
  msmWhere: string | null;
  /** closes the encoder session and releases the GPU device, if any */
  close(): Promise<void>;
}

export async function openModel(id: string, dtype: VariantDtype, msmBackend: MsmBackend = 'cpu'): Promise<OpenModel> {
  const manifest = loadManifest(id);
  const threads = availableParallelism();
  // The GPU first: a machine without one is refused before the model is verified and loaded.
  const msm = await openMsm(msmBackend, threads);
  try {
    const { path } = await verifiedVariantPath(manifest, dtype);
    const runner = await createNodeRunner(path, manifest, threads);
    return {
      manifest,
      runner,
      msm: msm.engine,
      msmWhere: msm.where,
      close: async () => {
        await runner.close();
        msm.close();
      },
    };
  } catch (err) {
    msm.close();
    throw err;
  }
}
