// AUPRO exactly as the reference's cal_pro_score (docs/method.md §9): thresholds
// np.arange(min, max, (max − min)/200), a pixel is positive when its score is > threshold, PRO is
// the mean over all GT regions of all images of (TP pixels / region area), FPR = FP / negatives;
// thresholds with FPR < 0.3 are kept, their FPRs min-max rescaled, and PRO integrated over them.
// Instead of 200 passes each pixel is binned once by how many thresholds it exceeds.

const MAX_STEP = 200;
const EXPECT_FPR = 0.3;

type Scores = Float32Array | Float64Array;

/** np.arange(min, max, (max − min)/200) for float64, including numpy's fill rule. */
export function proThresholds(min: number, max: number): Float64Array {
  const step = (max - min) / MAX_STEP;
  const length = Math.ceil((max - min) / step);
  const th = new Float64Array(length);
  // numpy writes start and start + step, then fills start + i·(second − start).
  th[0] = min;
  if (length > 1) th[1] = min + step;
  const delta = th[1] - th[0];
  for (let i = 2; i < length; i++) th[i] = min + i * delta;
  return th;
}

/**
 * Number of thresholds strictly below v: the pixel is positive at exactly thresholds 0 .. bin−1.
 * The thresholds are evenly spaced, so a division guesses the bin and comparisons with the actual
 * thresholds settle it exactly.
 */
function binOf(th: Float64Array, spacing: number, v: number): number {
  let bin = Math.min(th.length, Math.max(0, Math.ceil((v - th[0]) / spacing)));
  while (bin > 0 && !(th[bin - 1] < v)) bin--;
  while (bin < th.length && th[bin] < v) bin++;
  return bin;
}

export interface ProInput {
  /** scores of anomalous pixels, with the region id of each in `regionOf` */
  positives: Scores;
  regionOf: Int32Array;
  regionAreas: readonly number[];
  negatives: Scores;
  /** min and max over all pixels */
  min: number;
  max: number;
}

/** 0 where the reference has no finite answer (constant maps, no negatives, < 2 kept thresholds). */
export function aupro({ positives, regionOf, regionAreas, negatives, min, max }: ProInput): number {
  if (!(max > min) || negatives.length === 0 || regionAreas.length === 0) return 0;
  const th = proThresholds(min, max);
  const spacing = (max - min) / MAX_STEP;
  const bins = th.length + 1;
  const negHist = new Float64Array(bins);
  for (let i = 0; i < negatives.length; i++) negHist[binOf(th, spacing, negatives[i])]++;
  const regions = regionAreas.length;
  const regionHist = new Int32Array(regions * bins);
  for (let i = 0; i < positives.length; i++) regionHist[regionOf[i] * bins + binOf(th, spacing, positives[i])]++;

  // Walk thresholds from the highest down; a pixel with bin b is positive at threshold t iff b > t.
  const fprs = new Float64Array(th.length);
  const pros = new Float64Array(th.length);
  const regionAbove = new Float64Array(regions);
  let negAbove = 0;
  for (let t = th.length - 1; t >= 0; t--) {
    negAbove += negHist[t + 1];
    let proSum = 0;
    for (let r = 0; r < regions; r++) {
      regionAbove[r] += regionHist[r * bins + t + 1];
      proSum += regionAbove[r] / regionAreas[r];
    }
    fprs[t] = negAbove / negatives.length;
    pros[t] = proSum / regions;
  }

  const kept: number[] = [];
  for (let t = 0; t < th.length; t++) if (fprs[t] < EXPECT_FPR) kept.push(t);
  if (kept.length < 2) return 0;
  const keptFprs = kept.map((t) => fprs[t]);
  const lo = Math.min(...keptFprs);
  const range = Math.max(...keptFprs) - lo;
  if (range === 0) return 0;
  // sklearn.auc: FPR falls as the threshold rises, so the trapezoid sum is negated.
  let area = 0;
  for (let i = 0; i + 1 < kept.length; i++) {
    const dx = (keptFprs[i + 1] - lo) / range - (keptFprs[i] - lo) / range;
    area += (dx * (pros[kept[i + 1]] + pros[kept[i]])) / 2;
  }
  return -area;
}
