// Running a model for the agreement check (src/encoders/import/variantCheck.ts) in onnxruntime-node
// on real images: src/encoders/import's runOnImages with the Node runtime.
import { runOnImages } from '../../src/encoders/import/checkImages.ts';
import { decodeModel } from '../../src/encoders/onnx/index.ts';
import type { ModelOutputs } from '../../src/encoders/import/variantCheck.ts';
import { openFloatModel } from '../../src/platform/node/openFloatModel.ts';
import type { CheckImage } from './variant-check-images.ts';

export interface InputSpec {
  name: string;
  size: number;
}

/** Runs `model` on each image separately (exports may fix the batch at 1) and keeps `outputs`. */
export function runOutputs(
  model: Uint8Array,
  input: InputSpec,
  outputs: string[],
  images: CheckImage[],
): Promise<ModelOutputs> {
  return runOnImages(openFloatModel, decodeModel(model), input, outputs, images);
}
