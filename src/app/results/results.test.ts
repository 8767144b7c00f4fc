import { describe, expect, it } from 'vitest';
import type { BatchScores } from '../../worker/protocol.ts';
import type { BatchImage } from '../batch/types.ts';
import { scoresCsv } from '../export/exportBatch.ts';
import { buildResults, changedSinceScored } from './results.ts';

const image = (name: string, i: number): BatchImage => ({
  key: `k${i}`,
  name,
  path: name,
  blob: new Blob(),
  width: 8,
  height: 8,
  truth: null,
});

function scores(final: number[], peaks: number[], extra: Partial<BatchScores> = {}): BatchScores {
  return {
    ...extra,
    keys: final.map((_, i) => `k${i}`),
    imageScores: Float64Array.from(final),
    imageScoresRaw: Float64Array.from(peaks),
    patchScores: new Float64Array(final.length),
    grid: 1,
    mapSize: 2,
    forcedSmallBatch: false,
    rscinWindows: [1, 2, 3],
    encodedNow: final.length,
    model: {
      modelId: 'm',
      variant: 'fp32',
      warmupMs: 0,
      backendInfo: {
        backend: 'wasm',
        fallbackReason: null,
        webgpuCheck: null,
        adapter: null,
        shaderF16: false,
        wasmThreads: 1,
        crossOriginIsolated: false,
      },
    },
  };
}

const names = ['a.png', 'b,odd.png', 'c.png', 'd.png', 'e.png', 'f.png'];
const batch = scores([0.02, 0.9, 0.05, 0.04, 0.8, 0.03], [0.3, 0.9, 0.35, 0.32, 0.7, 0.31]);

describe('buildResults', () => {
  it('ranks by score and applies the threshold in force', () => {
    const r = buildResults(names.map(image), batch, null);
    expect(r.rows.map((x) => x.image.name)).toEqual(['b,odd.png', 'e.png', 'c.png', 'd.png', 'f.png', 'a.png']);
    expect(r.counts).toEqual({ normal: 4, anomalous: 2, unjudged: 0, notComparable: 0 });
    expect(r.threshold.mode).toBe('auto');
    expect(r.threshold.rule).toBe('batch');
    expect(r.scale).toBe('batch-relative');
    expect(r.range).toEqual({ min: 0, max: 1 });
    // normal map level from the peaks of the 4 judged normal (0.30, 0.31, 0.32, 0.35): median 0.315,
    // MAD 0.01, so 0.315 + 3·1.4826·0.01; each image's outline halfway from it to its own peak
    expect(r.threshold.pixel).toMatchObject({ basis: 'images judged normal', images: 4 });
    expect(r.threshold.pixel.value).toBeCloseTo(0.359478, 9);
    const byName = new Map(r.rows.map((x) => [x.image.name, x.pixelThreshold]));
    expect(byName.get('b,odd.png')).toBeCloseTo((0.359478 + 0.9) / 2, 9);
    expect(byName.get('a.png')).toBeCloseTo(0.359478, 9); // a peak below the level: no region
    const manual = buildResults(names.map(image), batch, 0.03);
    expect(manual.counts).toEqual({ normal: 2, anomalous: 4, unjudged: 0, notComparable: 0 });
  });

  it('exports the CSV with the screen formatting, quoting odd names', () => {
    const csv = scoresCsv(buildResults(names.map(image), batch, null)).split('\r\n');
    expect(csv).toHaveLength(8);
    expect(csv[0]).toBe('rank,file,score,verdict,map_max');
    expect(csv[1]).toBe('1,"b,odd.png",0.900,anomalous,0.9000');
    expect(csv[6]).toBe('6,a.png,0.020,normal,0.3000');
  });

  const rule = 'Scores are nearest-patch distances to the known-good references.';
  const asReference = (img: BatchImage): BatchImage => ({ ...img, role: 'reference' });
  // a.png and d.png are known good; distances, not in [0, 1]
  const referenceBatch = (threshold: number | null) => ({
    images: names.map(image).map((img, i) => (i === 0 || i === 3 ? asReference(img) : img)),
    scores: scores([0.4, 2.5, 0.5, 0.45, 1.8, 0.6], [0.4, 2.5, 0.5, 0.45, 1.8, 0.6], {
      scale: 'distance',
      roles: ['reference', 'query', 'query', 'reference', 'query', 'query'],
      calibrated: { threshold, rule },
    }),
  });
  const withReferences = (threshold: number | null, manual: number | null = null) => {
    const b = referenceBatch(threshold);
    return buildResults(b.images, b.scores, manual);
  };

  it('on the distance scale, verdicts follow the threshold the references calibrate', () => {
    const r = withReferences(1);
    expect(r.scale).toBe('distance');
    expect(r.threshold).toMatchObject({ value: 1, mode: 'auto', rule: 'references', ruleText: rule, auto: null });
    expect(r.findings.map((x) => [x.image.name, x.verdict])).toEqual([
      ['b,odd.png', 'anomalous'],
      ['e.png', 'anomalous'],
      ['f.png', 'normal'],
      ['c.png', 'normal'],
    ]);
    // the slider's range covers the highest distance shown
    expect(r.range.min).toBe(0);
    expect(r.range.max).toBeGreaterThan(2.5);
    // a manual threshold works on distances too
    const manual = withReferences(1, 2);
    expect(manual.threshold).toMatchObject({ value: 2, mode: 'manual' });
    expect(manual.counts).toEqual({ normal: 3, anomalous: 1, unjudged: 0, notComparable: 0 });
  });

  it('lists references apart, never as findings, never counted or exported as findings', () => {
    const r = withReferences(1);
    expect(r.references.map((x) => [x.image.name, x.verdict, x.rank])).toEqual([
      ['d.png', 'reference', 1],
      ['a.png', 'reference', 2],
    ]);
    expect(r.rows.map((x) => x.image.name)).toEqual(['b,odd.png', 'e.png', 'f.png', 'c.png', 'd.png', 'a.png']);
    expect(r.findings.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(r.counts).toEqual({ normal: 2, anomalous: 2, unjudged: 0, notComparable: 0 });
    // 2 references are too few alone: with the 2 normal findings, peaks 0.4, 0.45, 0.5, 0.6 give
    // median 0.475, MAD 0.05, so 0.475 + 3·1.4826·0.05
    expect(r.threshold.pixel).toMatchObject({ basis: 'references and images judged normal', images: 4 });
    expect(r.threshold.pixel.value).toBeCloseTo(0.69739, 9);
    const csv = scoresCsv(r).trim().split('\r\n');
    expect(csv).toHaveLength(5);
    expect(csv.slice(1).map((line) => line.split(',')[1])).not.toContain('a.png');
    expect(csv.slice(1).map((line) => line.split(',')[1])).not.toContain('d.png');
  });

  it('gives no verdict while the references are too few to calibrate a threshold', () => {
    const r = withReferences(null);
    expect(r.threshold.value).toBeNull();
    expect(r.findings.every((x) => x.verdict === 'unjudged')).toBe(true);
    expect(r.counts).toEqual({ normal: 0, anomalous: 0, unjudged: 4, notComparable: 0 });
  });

  it('keeps the last scores for the images they cover; new images wait as pending, removed ones drop out', () => {
    const imgs = names.map(image);
    const added = image('new.png', 9);
    const r = buildResults([...imgs.slice(1), added], batch, null);
    expect(r.pending.map((i) => i.name)).toEqual(['new.png']);
    expect(r.rows.map((x) => x.image.name)).toEqual(['b,odd.png', 'e.png', 'c.png', 'd.png', 'f.png']);
    // rows point at the score arrays, not at the batch order
    expect(r.rows.find((x) => x.image.name === 'c.png')?.index).toBe(2);
  });

  it('counts the images added or re-marked since the last scores', () => {
    const { images, scores: s } = referenceBatch(1);
    expect(changedSinceScored(images, s)).toBe(0);
    const remarked = images.map((img, i) => (i === 1 ? { ...img, role: 'reference' as const } : img));
    expect(changedSinceScored([...remarked.slice(1), image('new.png', 9)], s)).toBe(2);
    expect(changedSinceScored(images, null)).toBe(0);
  });
});
