import { describe, expect, it } from 'vitest';
import { candidateRing, everyOtherImage, fromRingOrder, ringKey, ringPlan, toRingOrder } from './candidates.ts';
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

describe('candidate images on a ring', () => {
  it('scores each image against k others of a shuffled ring, each pair computed once and serving both images', async () => {
    const [images, patches, dim, k] = [11, 6, 8, 4];
    const z = randomUnitRows(images * patches, dim, seededRandom(21));
    const ring = candidateRing(images, k);
    if (!ring) throw new Error('k < N − 1 makes a ring');
    const { order, plan } = ring;
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(images).keys()]);
    expect(plan.scorers).toBe(k);
    // each position's scorers, read back from the plan in slot order: k distinct other positions
    const drawn = [...Array(images).keys()].map((t) =>
      [...Array(images).keys()].filter((u) => plan.slot(t, u) >= 0).sort((a, b) => plan.slot(t, a) - plan.slot(t, b)),
    );
    drawn.forEach((us, t) => {
      expect(us).toHaveLength(k);
      expect(us).not.toContain(t);
      expect(us.map((u) => plan.slot(t, u))).toEqual([...Array(k).keys()]);
      // u scores t exactly when t scores u
      us.forEach((u) => expect(drawn[u]).toContain(t));
    });
    // the pairs computed are exactly those of the scorer relation, once each: N·k/2
    const computed = [...Array(images).keys()].flatMap((t) => plan.partners(t).map((u) => `${t}-${u}`));
    const needed = new Set(drawn.flatMap((us, t) => us.map((u) => `${Math.min(t, u)}-${Math.max(t, u)}`)));
    expect(computed.sort()).toEqual([...needed].sort());
    expect(computed).toHaveLength((images * k) / 2);

    // scored in ring order and brought back: image order[t] against the images at its scorers' positions
    const inRing = z.slice();
    toRingOrder(inRing, order, patches * dim);
    const window = { kMin: 0, kMax: 2 };
    const scores = fromRingOrder(
      await mutualScores(inRing, images, patches, dim, window, { kernel: tsKernel, plan }),
      order,
      patches,
    );
    const scorersOf = Array.from({ length: images }, () => [] as number[]);
    drawn.forEach((us, t) => (scorersOf[order[t]] = us.map((u) => order[u])));
    const expected = bruteForce(z, patches, dim, scorersOf, 0, 2);
    for (let n = 0; n < scores.length; n++) expect(scores[n]).toBeCloseTo(expected[n], 5);
  });

  it('puts image-major data in ring order in place, as a plain gather does', () => {
    const [images, size] = [40, 3];
    const data = Float32Array.from({ length: images * size }, (_, v) => v);
    const { order } = candidateRing(images, 6) ?? { order: new Int32Array() };
    const gathered = [...order].flatMap((image) => [...data.subarray(image * size, (image + 1) * size)]);
    toRingOrder(data, order, size);
    expect([...data]).toEqual([...gathered]);
  });

  it('draws the same ring on every run, not the set order; rounds an odd k up; none when k reaches N − 1', () => {
    const a = candidateRing(40, 7);
    const b = candidateRing(40, 7);
    expect(b?.order).toEqual(a?.order);
    expect([...(a?.order ?? [])]).not.toEqual([...Array(40).keys()]);
    expect(a?.plan.scorers).toBe(8);
    expect(candidateRing(6, 5)).toBeNull();
  });

  it('places an image added later without moving the others: the ring of 30 images is the ring of 40 without the last 10', () => {
    const forty = [...(candidateRing(40, 6)?.order ?? [])];
    const thirty = [...(candidateRing(30, 6)?.order ?? [])];
    expect(forty.filter((n) => n < 30)).toEqual(thirty);
    expect(new Set(Array.from({ length: 1000 }, (_, n) => ringKey(n))).size).toBe(1000);
  });

  it('a ring plan pairs each position with two runs of consecutive positions', () => {
    const plan = ringPlan(10, 3);
    expect(plan.partners(0)).toEqual([1, 2, 3, 7, 8, 9]);
    expect(plan.partners(2)).toEqual([3, 4, 5, 9]);
    expect(plan.partners(8)).toEqual([9]);
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
