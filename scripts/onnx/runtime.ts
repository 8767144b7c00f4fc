// Running models in onnxruntime-node: the shape and value checks of the model tools and tests.
import { encodeModel, type FloatTensor, type onnx } from '../../src/encoders/onnx/index.ts';
import { openOrtSession, type SessionOptions } from '../../src/platform/node/openFloatModel.ts';

/**
 * Runs a model once on float32 feeds and returns every graph output (all must be float32). The
 * machines here are shared: one thread unless asked.
 */
export async function runModel(
  model: Uint8Array | onnx.IModelProto,
  feeds: Record<string, FloatTensor>,
  options: SessionOptions = {},
): Promise<Record<string, FloatTensor>> {
  const session = await openOrtSession(model instanceof Uint8Array ? model : encodeModel(model), {
    threads: 1,
    ...options,
  });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}
