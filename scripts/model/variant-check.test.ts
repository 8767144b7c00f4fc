import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectCheckImages } from './variant-check-images.ts';
import { compareOutputs, cosineSimilarity } from './variant-check.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('cosineSimilarity', () => {
  it('is 1 for parallel, −1 for opposite and 0 for orthogonal tensors', () => {
    expect(cosineSimilarity(f32(1, 2, 3), f32(2, 4, 6))).toBeCloseTo(1, 12);
    expect(cosineSimilarity(f32(1, 2), f32(-1, -2))).toBeCloseTo(-1, 12);
    expect(cosineSimilarity(f32(1, 0), f32(0, 5))).toBe(0);
  });

  it('is NaN when a value is not finite, 1 for two zero tensors, 0 for one', () => {
    expect(cosineSimilarity(f32(1, Number.POSITIVE_INFINITY), f32(1, 1))).toBeNaN();
    expect(cosineSimilarity(f32(1, 2), f32(Number.NaN, 1))).toBeNaN();
    expect(cosineSimilarity(f32(0, 0), f32(0, 0))).toBe(1);
    expect(cosineSimilarity(f32(0, 0), f32(1, 0))).toBe(0);
  });

  it('refuses tensors of different sizes', () => {
    expect(() => cosineSimilarity(f32(1), f32(1, 2))).toThrow(RangeError);
  });
});

describe('compareOutputs', () => {
  const reference = [
    [f32(1, 2, 3), f32(1, 1)],
    [f32(3, 2, 1), f32(1, -1)],
  ];

  it('passes at the threshold and reports the worst output and image', () => {
    const candidate = [
      [f32(1, 2, 3), f32(1, 1)],
      [f32(3, 2, 1), f32(1, -0.8)],
    ];
    const report = compareOutputs(reference, candidate, ['a', 'b'], ['x', 'y'], 0.99);
    expect(report.passed).toBe(true);
    expect(report.worst).toMatchObject({ output: 'b', image: 'y' });
    expect(report.perOutput.a).toBeCloseTo(1, 12);
    expect(report.minTapCosine).toBe(report.perOutput.b);
  });

  it('fails below the threshold, and on any non-finite value even where other values agree', () => {
    const low = compareOutputs(
      reference,
      [
        [f32(1, 2, 3), f32(1, 1)],
        [f32(3, 2, 1), f32(1, 0)],
      ],
      ['a', 'b'],
      ['x', 'y'],
      0.99,
    );
    expect(low.passed).toBe(false);
    expect(low.failure).toMatch(/output b on y has cosine 0\.70711 < 0\.99/);

    const nan = compareOutputs(
      reference,
      [
        [f32(1, 2, Number.NaN), f32(1, 1)],
        [f32(3, 2, 1), f32(1, 0)],
      ],
      ['a', 'b'],
      ['x', 'y'],
      0.5,
    );
    expect(nan.passed).toBe(false);
    expect(nan.minTapCosine).toBeNaN();
    expect(nan.failure).toMatch(/output a has non-finite values on x/);
  });
});

describe('selectCheckImages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'muscope-check-images-'));
    const files: Record<string, string[]> = {
      good: ['000.png', '001.png', '002.png', '003.png', '004.png'],
      crack: ['000.png', '001.png', 'notes.txt'],
      scratch: ['000.png', '001.png', '002.png'],
    };
    for (const [folder, names] of Object.entries(files)) {
      await mkdir(join(dir, folder));
      for (const name of names) await writeFile(join(dir, folder, name), '');
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes half good images and the rest round-robin over the defect folders, in name order', async () => {
    const picked = (await selectCheckImages(dir, 8)).map((p) => p.slice(dir.length + 1));
    expect(picked).toEqual([
      'good/000.png',
      'good/001.png',
      'good/002.png',
      'good/003.png',
      'crack/000.png',
      'scratch/000.png',
      'crack/001.png',
      'scratch/001.png',
    ]);
  });

  it('takes the images of a flat folder in name order', async () => {
    expect((await selectCheckImages(join(dir, 'crack'), 8)).map((p) => p.slice(dir.length + 1))).toEqual([
      'crack/000.png',
      'crack/001.png',
    ]);
  });
});
