// Small vector helpers shared by the feature stages.

/** Below this norm a vector is treated as zero (like torch's F.normalize eps), so no NaN appears. */
const NORM_EPS = 1e-12;

/** Writes src[srcOffset .. +dim] / ‖·‖₂ into out[outOffset ..]; a zero vector stays zero. */
export function l2NormalizeInto(
  src: ArrayLike<number>,
  srcOffset: number,
  out: Float32Array,
  outOffset: number,
  dim: number,
): void {
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += src[srcOffset + d] * src[srcOffset + d];
  const inv = 1 / Math.max(Math.sqrt(sq), NORM_EPS);
  for (let d = 0; d < dim; d++) out[outOffset + d] = src[srcOffset + d] * inv;
}
