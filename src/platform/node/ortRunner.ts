// onnxruntime-node implementation of EncoderRunner, on all cores of this machine.

import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { EncoderError } from '../../encoders/errors.ts';
import type { ModelManifest } from '../../encoders/manifest.ts';
import type { EncoderOutputs, EncoderRunner } from '../../encoders/runner.ts';

export interface NodeEncoderRunner extends EncoderRunner {
  close(): Promise<void>;
}

/** Output names MuSc reads: every tap plus the embedding source, each once. */
export function neededOutputs(manifest: ModelManifest): string[] {
  return [...new Set([...manifest.taps.map((t) => t.name), ...(manifest.embedding ? [manifest.embedding.name] : [])])];
}

/** S of an encoder input [batch, 3, S, S]. */
export function inputSide(input: Float32Array, batch: number): number {
  const side = Math.round(Math.sqrt(input.length / (3 * batch)));
  if (3 * batch * side * side !== input.length)
    throw new RangeError(`Input of ${input.length} floats is not [${batch}, 3, S, S]`);
  return side;
}

export async function createNodeRunner(
  modelPath: string,
  manifest: ModelManifest,
  threads = availableParallelism(),
): Promise<NodeEncoderRunner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      // int8-weight variants: fold DequantizeLinear into fp32 weights at load, so int8 storage
      // costs no speed on the CPU (no effect on other graphs).
      extra: { session: { disable_quant_qdq: '1' } },
    });
  } catch (err) {
    throw new EncoderError('session-failed', `onnxruntime could not load ${modelPath}: ${(err as Error).message}`);
  }
  const outputs = neededOutputs(manifest);
  const missing = outputs.filter((name) => !session.outputNames.includes(name));
  if (missing.length)
    throw new EncoderError(
      'bad-output',
      `${modelPath} has no output named ${missing.join(', ')} although the manifest taps it.`,
    );

  return {
    async run(input: Float32Array, batch: number): Promise<EncoderOutputs> {
      const side = inputSide(input, batch);
      const feeds = { [manifest.input.name]: new ort.Tensor('float32', input, [batch, 3, side, side]) };
      const result = await session.run(feeds, outputs);
      const named: EncoderOutputs = {};
      for (const name of outputs) {
        const tensor = result[name];
        if (tensor.type !== 'float32')
          throw new EncoderError('bad-output', `Output ${name} is ${tensor.type}, expected float32.`);
        named[name] = { data: tensor.data as Float32Array, dims: [...tensor.dims] };
      }
      return named;
    },
    close: () => session.release(),
  };
}
