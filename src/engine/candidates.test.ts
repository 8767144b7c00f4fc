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
  it('scores each image against its k most similar images by embedding, each pair computed once', async () => {
    const [images, patches, dim, embedDim, k] = [9, 6, 8, 5, 3];
    const random = seededRandom(21);
    const z = randomUnitRows(images * patches, dim, random);
    const embeddings = randomUnitRows(images, embedDim, random);
    // the k most similar by cosine, said directly
    const cos = (a: number, b: number) => {
      let s = 0;
      for (let d = 0; d < embedDim; d++) s += embeddings[a * embedDim + d] * embeddings[b * embedDim + d];
      return s;
    };
    const chosen = Array.from({ length: images }, (_, i) =>
      [...Array(images).keys()]
        .filter((j) => j !== i)
        .sort((a, b) => cos(i, b) - cos(i, a))
        .slice(0, k),
    );
    const plan = candidateImages(embeddings, images, embedDim, k);
    expect(plan.scorers).toBe(k);
    const computed = [...Array(images).keys()].flatMap((i) => plan.partners(i).map((j) => `${i}-${j}`));
    expect(new Set(computed).size).toBe(computed.length);
    expect(computed.length).toBeLessThan((images * (images - 1)) / 2);

    const window = { kMin: 0, kMax: 2 };
    const scores = await mutualScores(z, images, patches, dim, window, { kernel: tsKernel, plan });
    const expected = bruteForce(z, patches, dim, chosen, 0, 2);
    for (let n = 0; n < scores.length; n++) expect(scores[n]).toBeCloseTo(expected[n], 5);
  });

  it('is every other image when k reaches N − 1, and exact MSM is unchanged by the plan', async () => {
    const [images, patches, dim] = [6, 4, 8];
    const z = randomUnitRows(images * patches, dim, seededRandom(22));
    expect(candidateImages(null, images, 3, 5).scorers).toBe(5);
    const window = { kMin: 1, kMax: 3 };
    const exact = await mutualScores(z, images, patches, dim, window, {
      kernel: tsKernel,
      plan: everyOtherImage(images),
    });
    const all = [...Array(images).keys()].map((i) => [...Array(images).keys()].filter((j) => j !== i));
    const expected = bruteForce(z, patches, dim, all, 1, 3);
    for (let n = 0; n < exact.length; n++) expect(exact[n]).toBeCloseTo(expected[n], 5);
  });

  it('refuses in plain words a model without an image embedding', () => {
    expect(() => candidateImages(null, 10, 4, 3)).toThrow(/image embedding, and this model gives none/);
  });
});
