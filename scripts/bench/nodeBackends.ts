// Similarity backends available to the Node bench; browser backends run elsewhere (Playwright).

import * as ort from 'onnxruntime-node';
import { createOrtMatmulKernel } from '../../src/engine/kernels/ortKernel.ts';
import { tsKernel } from '../../src/engine/kernels/tsKernel.ts';
import type { SimilarityKernel } from '../../src/engine/types.ts';

export interface NodeBackend {
  name: string;
  kernel: () => SimilarityKernel;
}

export const NODE_BACKENDS: NodeBackend[] = [
  { name: 'node-ts', kernel: () => tsKernel },
  { name: 'node-ort', kernel: () => createOrtMatmulKernel(ort) },
];
