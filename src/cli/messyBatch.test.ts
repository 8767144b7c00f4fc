// A messy batch (docs/method.md §19): the 12 demo bottles (6 defective) dropped with
// copies of one good bottle saved other ways and one dark 12000×9000 frame, made by Pillow
// (scripts/fixtures/messy_batch.py). Scored by `muscope score`, in the session the page scores a
// batch in, on real features of the default model: the screening must keep the copies from vouching for
// each other and the dark frame from rescaling the batch, so the batch rule flags exactly the 6
// defective bottles. Against known-good references, copies of one good part among the references
// count as one reference, so the threshold they calibrate is not that of a copy against itself, and
// no query is screened: its verdict depends only on the image and the references.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judgement } from '../engine/session/judge.ts';
import type { ImageRole } from '../engine/session/scorers.ts';
import { MODEL, ready, REPO, runMuscope } from './cliRun.testing.ts';
import { openInspection } from './inspection.ts';
import { loadSquashed } from './loadImages.ts';
import { openModel, type OpenModel } from './model.ts';
import { createProgress } from './progress.ts';
import type { ScoreRow } from './score.ts';

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

  it('`muscope score` flags the 6 defective bottles and nothing else; the copies are near-duplicates, the dark frame not comparable', () => {
    const out = join(work, 'out');
    const run = runMuscope(work, 'score', ...[...bottles, ...COPIES, DARK].map((f) => join(work, f)), '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8')) as ScoreRow[];
    const byName = new Map(rows.map((r) => [basename(r.path), r]));
    console.log(JSON.stringify(rows.map((r) => [basename(r.path), r.score.toFixed(3), r.verdict, r.screening])));
    const anomalous = rows.filter((r) => r.verdict === 'anomalous').map((r) => basename(r.path));
    expect(anomalous.sort()).toEqual(bottles.filter((b) => !b.startsWith('good_')).sort());
    // re-encoded copies (WebP, RGBA, EXIF-rotated) and the original are one group, each named after another of it
    const group = ['good_000.png', 'copy-webp.webp', 'copy-rgba.png', 'copy-exif-rotated.jpg'];
    for (const name of group) {
      const other = /^near-duplicate of (.+)$/.exec(byName.get(name)?.screening ?? '')?.[1];
      expect(
        group.filter((g) => g !== name).map((g) => join(work, g)),
        name,
      ).toContain(other);
    }
    const notComparable = rows.filter((r) => r.verdict === 'not-comparable');
    expect(notComparable.map((r) => basename(r.path))).toEqual(['copy-gray.jpg', 'copy-gray16.png', DARK]);
    for (const r of notComparable.slice(0, 2))
      expect(r.screening).toBe('not comparable: grayscale among colour images');
    const farness = /usual nearest distance to the others is ([\d.]+)× the batch's median/.exec(
      byName.get(DARK)?.screening ?? '',
    );
    expect(Number(farness?.[1])).toBeGreaterThan(3);
    expect(run.stderr).toContain('Screening: Near-duplicates');
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
