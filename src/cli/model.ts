// Opens an installed model for the CLI: manifest, verified variant file, onnxruntime-node
// session on all cores, and the engine's onnxruntime MatMul kernel for MSM.

import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import { createOrtMatmulKernel } from '../engine/kernels/ortKernel.ts';
import type { SimilarityKernel } from '../engine/types.ts';
import { loadManifest, verifiedVariantPath } from '../node/models.ts';
import { createNodeRunner, type NodeEncoderRunner } from '../node/ortRunner.ts';

export interface OpenModel {
  manifest: ModelManifest;
  runner: NodeEncoderRunner;
  similarity: SimilarityKernel;
}

export async function openModel(id: string, dtype: VariantDtype): Promise<OpenModel> {
  const manifest = loadManifest(id);
  const { path } = await verifiedVariantPath(manifest, dtype);
  const threads = availableParallelism();
  const runner = await createNodeRunner(path, manifest, threads);
  const similarity = createOrtMatmulKernel(ort, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  return { manifest, runner, similarity };
}
