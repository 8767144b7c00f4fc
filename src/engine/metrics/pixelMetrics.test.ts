import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { proThresholds } from './aupro.ts';
import { PixelMetricsAccumulator } from './pixelMetrics.ts';
import { imageMetrics } from './ranking.ts';
import { labelRegions } from './regions.ts';

/** cal_pro_score of the reference, literally: 200 passes, regions per image, strict >. */
function referenceAupro(maps: Float64Array[], masks: Uint8Array[], width: number, height: number): number {
  const all = maps.flatMap((m) => Array.from(m));
  const min = Math.min(...all);
  const max = Math.max(...all);
  const regions = masks.map((mask) => {
    const ids = new Int32Array(mask.length);
    const areas = labelRegions(mask, width, height, ids, 0);
    return { ids, areas };
  });
  const negatives = masks.reduce((n, mask) => n + mask.filter((v) => !v).length, 0);
  const fprs: number[] = [];
  const pros: number[] = [];
  for (const th of proThresholds(min, max)) {
    const pro: number[] = [];
    let fp = 0;
    maps.forEach((map, i) => {
      const tp = new Array<number>(regions[i].areas.length).fill(0);
      map.forEach((v, p) => {
        if (!(v > th)) return;
        if (masks[i][p]) tp[regions[i].ids[p]]++;
        else fp++;
      });
      regions[i].areas.forEach((area, r) => pro.push(tp[r] / area));
    });
    fprs.push(fp / negatives);
    pros.push(pro.reduce((s, v) => s + v, 0) / pro.length);
  }
  const kept = fprs.map((f, t) => [f, pros[t]]).filter(([f]) => f < 0.3);
  const lo = Math.min(...kept.map(([f]) => f));
  const hi = Math.max(...kept.map(([f]) => f));
  let area = 0;
  for (let i = 0; i + 1 < kept.length; i++)
    area += ((kept[i][0] - kept[i + 1][0]) / (hi - lo)) * ((kept[i][1] + kept[i + 1][1]) / 2);
  return area;
}

/** Random maps whose scores are the AUPRO thresholds themselves (strict > matters) with many ties. */
function randomCase(seed: number, images: number, width: number, height: number) {
  const random = seededRandom(seed);
  const levels = proThresholds(0, 2); // maps span exactly [0, 2], so these are their thresholds
  const masks = Array.from({ length: images }, () => new Uint8Array(width * height));
  const maps = masks.map((mask) => {
    for (let d = 0; d < 2; d++) {
      const x0 = Math.floor(random() * (width - 4));
      const y0 = Math.floor(random() * (height - 4));
      for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 4; x++) mask[y * width + x] = 1;
    }
    return Float64Array.from(mask, (m) => levels[Math.floor((random() * 0.7 + (m ? 0.3 : 0)) * levels.length)]);
  });
  // the extremes, and the top threshold itself on normal pixels: the lowest FPR that AUPRO
  // rescales by then depends on `>` versus `>=`
  const normal = Array.from(masks[0].keys()).filter((p) => !masks[0][p]);
  maps[0][normal[0]] = 0;
  maps[0][normal[1]] = 2;
  maps[0][normal[2]] = levels[levels.length - 1];
  return { maps, masks };
}

describe('labelRegions', () => {
  it('joins diagonal neighbours (8-connectivity) and numbers regions from firstId', () => {
    const mask = Uint8Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1]); // 4×4
    const ids = new Int32Array(16);
    expect(labelRegions(mask, 4, 4, ids, 5)).toEqual([2, 3]);
    expect(Array.from(ids)).toEqual([5, -1, -1, -1, -1, 5, -1, -1, -1, -1, -1, 6, -1, -1, 6, 6]);
  });
});

describe('proThresholds', () => {
  it('reproduces np.arange(min, max, (max − min)/200), including its 201-long float cases', () => {
    const th = proThresholds(0, 1);
    expect(th.length).toBe(200);
    expect(th[1]).toBe(0.005);
    expect(th[199]).toBe(0 + 199 * 0.005);
    // (0.3 − 0.1)/((0.3 − 0.1)/200) rounds above 200, so numpy makes 201 thresholds
    expect(proThresholds(0.1, 0.3).length).toBe(Math.ceil((0.3 - 0.1) / ((0.3 - 0.1) / 200)));
  });
});

describe('PixelMetricsAccumulator', () => {
  const width = 12;
  const height = 10;

  it('equals the reference AUPRO and the pooled ranking metrics, with ties and threshold-equal scores', () => {
    const { maps, masks } = randomCase(11, 4, width, height);
    const acc = new PixelMetricsAccumulator(width, height, 4);
    maps.forEach((map, i) => acc.add(map, masks[i]));
    const metrics = acc.finish();
    const pooled = imageMetrics(
      masks.flatMap((m) => Array.from(m)),
      maps.flatMap((m) => Array.from(m)),
    );
    expect(metrics.auroc).toBeCloseTo(pooled.auroc ?? NaN, 14);
    expect(metrics.ap).toBeCloseTo(pooled.ap ?? NaN, 14);
    expect(metrics.f1Max).toBeCloseTo(pooled.f1Max ?? NaN, 14);
    expect(metrics.aupro).toBeGreaterThan(0);
    expect(metrics.aupro).toBeCloseTo(referenceAupro(maps, masks, width, height), 12);
  });

  it('gives the same result when its buffers must grow', () => {
    const { maps, masks } = randomCase(5, 5, width, height);
    const sized = new PixelMetricsAccumulator(width, height, 5);
    const growing = new PixelMetricsAccumulator(width, height);
    maps.forEach((map, i) => {
      sized.add(map, masks[i]);
      growing.add(map, masks[i]);
    });
    expect(growing.finish()).toEqual(sized.finish());
  });

  it('is undefined (null) when no pixel is anomalous or none is normal, and rejects NaN maps', () => {
    const acc = new PixelMetricsAccumulator(2, 2);
    acc.add(Float32Array.of(0.1, 0.2, 0.3, 0.4), new Uint8Array(4));
    expect(acc.finish()).toEqual({ auroc: null, ap: null, f1Max: null, aupro: null });
    const allAnomalous = new PixelMetricsAccumulator(2, 2);
    allAnomalous.add(Float32Array.of(0.1, 0.2, 0.3, 0.4), new Uint8Array(4).fill(1));
    expect(allAnomalous.finish()).toEqual({ auroc: null, ap: null, f1Max: null, aupro: null });
    expect(() => new PixelMetricsAccumulator(1, 1).add(Float32Array.of(NaN), Uint8Array.of(1))).toThrow(
      /invalid numbers/,
    );
  });
});
