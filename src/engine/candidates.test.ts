import { describe, expect, it } from 'vitest';
import { candidateImages, everyOtherImage } from './candidates.ts';
import { tsKernel } from './kernels/tsKernel.ts';
import { mutualScores } from './msm.ts';
import { randomUnitRows, seededRandom } from './random.ts';

/** Brute force: image i's patches against the patches of `scorers[i]` only, ranks [kMin, kMax) averaged. */
function bruteForce(
  z: Float32Array,
  patches: number,
  dim: number,
  scorers: number[][],
  kMin: number,
  kMax: number,
): Float64Array {
  const out = new Float64Array(scorers.length * patches);
  scorers.forEach((js, i) => {
    for (let p = 0; p < patches; p++) {
      const nearest = js.map((j) => {
        let best = Infinity;
        for (let q = 0; q < patches; q++) {
          let sq = 0;
          for (let d = 0; d < dim; d++) sq += (z[(i * patches + p) * dim + d] - z[(j * patches + q) * dim + d]) ** 2;
          best = Math.min(best, Math.sqrt(sq));
        }
        return best;
      });
      const kept = nearest.sort((a, b) => a - b).slice(kMin, kMax);
      out[i * patches + p] = kept.reduce((s, v) => s + v, 0) / kept.length;
    }
  });
  return out;
}

describe('candidateImages', () => {
  it('scores each image against the k images it drew, each pair computed once', async () => {
    const [images, patches, dim, k] = [9, 6, 8, 3];
    const z = randomUnitRows(images * patches, dim, seededRandom(21));
    const plan = candidateImages(images, k);
    expect(plan.scorers).toBe(k);
    // each image's draw, read back from the plan: k distinct other images
    const drawn = [...Array(images).keys()].map((i) =>
      [...Array(images).keys()].filter((j) => plan.slot(i, j) >= 0).sort((a, b) => plan.slot(i, a) - plan.slot(i, b)),
    );
    drawn.forEach((js, i) => {
      expect(js).toHaveLength(k);
      expect(js).not.toContain(i);
    });
    // a pair is computed when either image drew the other, and only then, once
    const computed = [...Array(images).keys()].flatMap((i) => plan.partners(i).map((j) => `${i}-${j}`));
    const needed = new Set(drawn.flatMap((js, i) => js.map((j) => `${Math.min(i, j)}-${Math.max(i, j)}`)));
    expect(computed.sort()).toEqual([...needed].sort());
    expect(computed.length).toBeLessThan((images * (images - 1)) / 2);

    const scores = await mutualScores(z, images, patches, dim, { kMin: 0, kMax: 2 }, { kernel: tsKernel, plan });
    const expected = bruteForce(z, patches, dim, drawn, 0, 2);
    for (let n = 0; n < scores.length; n++) expect(scores[n]).toBeCloseTo(expected[n], 5);
  });

  it('draws the same scorers on every run, and every other image when k reaches N − 1', () => {
    const a = candidateImages(40, 7);
    const b = candidateImages(40, 7);
    for (let i = 0; i < 40; i++) expect(b.partners(i)).toEqual(a.partners(i));
    expect(candidateImages(6, 5)).toMatchObject({ scorers: 5 });
    expect(candidateImages(6, 5).partners(0)).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves exact MSM as it was: the every-other-image plan equals the brute force', async () => {
    const [images, patches, dim] = [6, 4, 8];
    const z = randomUnitRows(images * patches, dim, seededRandom(22));
    const window = { kMin: 1, kMax: 3 };
    const exact = await mutualScores(z, images, patches, dim, window, {
      kernel: tsKernel,
      plan: everyOtherImage(images),
    });
    const all = [...Array(images).keys()].map((i) => [...Array(images).keys()].filter((j) => j !== i));
    const expected = bruteForce(z, patches, dim, all, 1, 3);
    for (let n = 0; n < exact.length; n++) expect(exact[n]).toBeCloseTo(expected[n], 5);
  });
});
