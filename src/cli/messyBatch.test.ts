// A messy batch (docs/method.md §19): the 12 demo bottles (6 defective) dropped with
// copies of one good bottle saved other ways and one dark 12000×9000 frame, made by Pillow
// (scripts/fixtures/messy_batch.py). Scored in the incremental session as the page and watch score
// it, on real features of the default model: the screening must keep the copies from vouching for
// each other and the dark frame from rescaling the batch, so the batch rule flags exactly the 6
// defective bottles. Against known-good references, copies of one good part among the references
// count as one reference, so the threshold they calibrate is not that of a copy against itself, and
// no query is screened: its verdict depends only on the image and the references.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judgement } from '../engine/session/judge.ts';
import type { ImageRole } from '../engine/session/scorers.ts';
import { MODEL, ready, REPO } from './cliRun.testing.ts';
import { openInspection } from './inspection.ts';
import { loadSquashed } from './loadImages.ts';
import { openModel, type OpenModel } from './model.ts';
import { createProgress } from './progress.ts';

const PYTHON = '/usr/bin/python3';
const DEMO = join(REPO, 'public/demo/bottle/test');
const pillow = existsSync(PYTHON) && execFileSync(PYTHON, ['-c', 'import PIL; print(1)']).toString().trim() === '1';
const work = mkdtempSync(join(tmpdir(), 'messy-batch-'));
const progress = createProgress(process.stderr, true);
let model: OpenModel;

/** The demo image as `<folder>_<file>`, e.g. good_000.png. */
const flat = (folder: string, file: string): string => `${folder}_${file}`;
const COPIES = [
  'copy-webp.webp',
  'copy-cmyk.jpg',
  'copy-rgba.png',
  'copy-exif-rotated.jpg',
  'copy-gray.jpg',
  'copy-gray16.png',
];
const DARK = 'dark-huge.png';

async function judged(files: ReadonlyArray<{ name: string; role: ImageRole }>): Promise<Judgement> {
  const size = model.manifest.input.size;
  const loaded = await loadSquashed(
    files.map((f) => join(work, f.name)),
    size,
    model.manifest.input.resize,
    progress,
  );
  expect(loaded.problems).toEqual([]);
  const inspection = openInspection(model, { size, policy: 'references', forceSmallBatch: false, progress });
  await inspection.add(
    files.map((f, n) => ({ id: f.name, role: f.role, image: loaded.images[n] })),
    'messy batch',
  );
  return inspection.judge();
}

describe.skipIf(!ready || !pillow)('a messy batch', () => {
  const bottles: string[] = [];
  beforeAll(async () => {
    for (const folder of readdirSync(DEMO).sort())
      for (const file of readdirSync(join(DEMO, folder)).sort()) {
        copyFileSync(join(DEMO, folder, file), join(work, flat(folder, file)));
        bottles.push(flat(folder, file));
      }
    execFileSync(PYTHON, [join(REPO, 'scripts/fixtures/messy_batch.py'), join(work, 'good_000.png'), work]);
    model = await openModel(MODEL, 'fp32');
  }, 120_000);
  afterAll(async () => {
    await model?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('flags the 6 defective bottles and nothing else; the copies are near-duplicates, the dark frame not comparable', async () => {
    const judgement = await judged([...bottles, ...COPIES, DARK].map((name) => ({ name, role: 'query' as const })));
    const byName = new Map(judgement.findings.map((f) => [f.id, f]));
    console.log(
      judgement.threshold,
      JSON.stringify(
        judgement.findings.map((f) => [
          f.id,
          f.score?.toFixed(3),
          f.verdict,
          f.screening.group,
          f.screening.farness?.toFixed(2),
        ]),
      ),
    );
    const anomalous = judgement.findings.filter((f) => f.verdict === 'anomalous').map((f) => f.id);
    expect(anomalous.sort()).toEqual(bottles.filter((b) => !b.startsWith('good_')).sort());
    expect(byName.get(DARK)?.verdict).toBe('not-comparable');
    // re-encoded copies (WebP, RGBA, EXIF-rotated) are near-duplicates of the original
    for (const copy of ['copy-webp.webp', 'copy-rgba.png', 'copy-exif-rotated.jpg'])
      expect(byName.get(copy)?.screening.group).toBe(byName.get('good_000.png')?.screening.group);
    // the two grayscale copies are near-duplicates of each other, and not comparable among colour images
    expect(byName.get('copy-gray16.png')?.screening.duplicateOf).toBe('copy-gray.jpg');
    expect(
      judgement.findings.filter((f) => f.verdict === 'not-comparable').map((f) => [f.id, f.screening.notComparable]),
    ).toEqual([
      ['copy-gray.jpg', 'grayscale among colour images'],
      ['copy-gray16.png', 'grayscale among colour images'],
      [DARK, 'unlike the others'],
    ]);
  }, 300_000);

  it('counts copies of one good part among the references as one reference, and screens no query', async () => {
    const references = ['good_000.png', 'copy-webp.webp', 'copy-rgba.png', 'good_001.png', 'good_002.png'];
    const queries = bottles.filter((b) => !references.includes(b));
    const judgement = await judged([
      ...references.map((name) => ({ name, role: 'reference' as const })),
      ...[...queries, DARK].map((name) => ({ name, role: 'query' as const })),
    ]);
    const anomalous = judgement.findings.filter((f) => f.verdict === 'anomalous').map((f) => basename(f.id));
    // against references a verdict depends only on the image and them: the dark frame is simply anomalous
    expect(anomalous.sort()).toEqual([...queries.filter((b) => !b.startsWith('good_')), DARK].sort());
    expect(
      judgement.findings.every((f) => f.screening.notComparable === null && f.screening.duplicateOf === null),
    ).toBe(true);
    expect(judgement.findings.filter((f) => f.verdict === 'normal').map((f) => f.id)).toEqual(
      queries.filter((b) => b.startsWith('good_')),
    );
  }, 300_000);
});
