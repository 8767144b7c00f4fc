// The agreement check every model variant passes before it is offered: the fp32 model and the
// variant run on the same real images (the runs are the caller's: onnxruntime-node in
// scripts/model/variant-check.ts) and each checked output is compared (per image, flattened) by
// cosine similarity. A non-finite value anywhere fails the check.

/** A variant with any output cosine below this against fp32 is not recorded. */
export const MIN_TAP_COSINE = 0.99;

/** outputs[image][output], in the order of the requested output names */
export type ModelOutputs = Float32Array[][];

export interface VariantCheckReport {
  passed: boolean;
  /** smallest cosine over every output and image (NaN when a value was non-finite) */
  minTapCosine: number;
  /** smallest cosine per output over the images */
  perOutput: Record<string, number>;
  worst: { output: string; image: string; cosine: number };
  images: number;
  /** why it failed, in words; absent when it passed */
  failure?: string;
}

/** Cosine of two flattened tensors; NaN if either holds a non-finite value, 1 for two zero vectors. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`Cannot compare tensors of ${a.length} and ${b.length} values`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (!Number.isFinite(dot + aa + bb)) return Number.NaN;
  if (aa === 0 && bb === 0) return 1;
  if (aa === 0 || bb === 0) return 0;
  return dot / Math.sqrt(aa * bb);
}

/** NaN (a non-finite output) counts as worse than any cosine. */
export function isWorse(a: number, b: number): boolean {
  return Number.isNaN(a) ? !Number.isNaN(b) : a < b;
}

export function compareOutputs(
  reference: ModelOutputs,
  candidate: ModelOutputs,
  outputs: string[],
  imageNames: string[],
  threshold = MIN_TAP_COSINE,
): VariantCheckReport {
  const perOutput: Record<string, number> = {};
  let worst: VariantCheckReport['worst'] | undefined;
  for (let image = 0; image < reference.length; image++) {
    for (let o = 0; o < outputs.length; o++) {
      const cosine = cosineSimilarity(reference[image][o], candidate[image][o]);
      const output = outputs[o];
      if (!(output in perOutput) || isWorse(cosine, perOutput[output])) perOutput[output] = cosine;
      if (!worst || isWorse(cosine, worst.cosine)) worst = { output, image: imageNames[image], cosine };
    }
  }
  if (!worst) throw new Error('The check needs at least one image and one output');
  const passed = worst.cosine >= threshold; // false for NaN
  const report: VariantCheckReport = { passed, minTapCosine: worst.cosine, perOutput, worst, images: reference.length };
  if (!passed) {
    report.failure = Number.isNaN(worst.cosine)
      ? `output ${worst.output} has non-finite values on ${worst.image}`
      : `output ${worst.output} on ${worst.image} has cosine ${worst.cosine.toFixed(5)} < ${threshold} against fp32`;
  }
  return report;
}
