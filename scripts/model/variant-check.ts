// Running the fp32 model and a variant for the agreement check (src/encoders/import/variantCheck.ts)
// in onnxruntime-node on the same real images.
import * as ort from 'onnxruntime-node';
import type { ModelOutputs } from '../../src/encoders/import/variantCheck.ts';
import type { CheckImage } from './variant-check-images.ts';

export interface InputSpec {
  name: string;
  size: number;
}

/** Runs `model` on each image separately (exports may fix the batch at 1) and keeps `outputs`. */
export async function runOutputs(
  model: Uint8Array,
  input: InputSpec,
  outputs: string[],
  images: CheckImage[],
): Promise<ModelOutputs> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
  try {
    const results: ModelOutputs = [];
    for (const image of images) {
      const feed = new ort.Tensor('float32', image.pixels, [1, 3, input.size, input.size]);
      const fetched = await session.run({ [input.name]: feed }, outputs);
      results.push(
        outputs.map((name) => {
          const tensor = fetched[name];
          if (tensor.type !== 'float32')
            throw new Error(`Output ${name} is ${tensor.type}; checked outputs must be float32`);
          return tensor.data as Float32Array;
        }),
      );
    }
    return results;
  } finally {
    await session.release();
  }
}
