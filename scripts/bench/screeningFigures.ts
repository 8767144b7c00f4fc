// The figures behind the batch screening's constants (docs/method.md §19): on a set of images scored
// mutually in one scoring session (default model, fp32, onnxruntime MatMul slots), every pair's
// distance over the batch's median pair distance, and every image's usual nearest distance over the
// batch's median, with the names at the extremes. Images whose file name starts with `copy-`, and the
// file given with --source, are one family of near-duplicates (scripts/fixtures/messy_batch.py);
// every other pair is distinct.
// usage: tsx scripts/bench/screeningFigures.ts [--source FILE] [--max-batch M --subsets K] PATH…

import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeImages } from '../../src/encoders/encode.ts';
import { loadSquashed } from '../../src/cli/loadImages.ts';
import { openModel } from '../../src/cli/model.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { isGrayscale } from '../../src/engine/screening/colour.ts';
import { typicalDistance } from '../../src/engine/screening/profiles.ts';
import { DUPLICATE_RATIO, screen } from '../../src/engine/screening/screen.ts';
import { ScoringSession } from '../../src/engine/session/session.ts';
import { splitIntoSubsets } from '../../src/engine/subsets.ts';
import { DEFAULT_CONFIG } from '../../src/engine/types.ts';
import { listImages } from '../../src/platform/node/listImages.ts';
import { defaultModelId } from '../../src/platform/node/models.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { source: { type: 'string' }, 'max-batch': { type: 'string' }, subsets: { type: 'string' } },
});
const progress = createProgress(process.stderr, true);
const modelId = defaultModelId();
if (!modelId) throw new Error('no model installed');
const model = await openModel(modelId, 'fp32');
const size = model.manifest.input.size;
const files = await listImages(positionals);
const source = values.source ? resolve(values.source) : null;
const family = (path: string): boolean => basename(path).startsWith('copy-') || resolve(path) === source;

const maxBatch = Number(values['max-batch'] ?? files.length);
const subsets = splitIntoSubsets(files.length, maxBatch).slice(0, Number(values.subsets ?? Infinity));
const shortName = (path: string): string => path.split('/').slice(-2).join('/');
const round = (v: number): number => Math.round(v * 1e4) / 1e4;

for (const indices of subsets) {
  const loaded = await loadSquashed(
    indices.map((i) => files[i]),
    size,
    model.manifest.input.resize,
    progress,
  );
  const session = new ScoringSession(
    { ...DEFAULT_CONFIG, imageSize: size, scorers: 'all' },
    model.manifest.taps.length,
    model.slots,
  );
  const ids = loaded.paths;
  for (let start = 0; start < ids.length; start += 16) {
    const chunk = loaded.images.slice(start, start + 16);
    const input = await encodeImages(model.runner, model.manifest, chunk, { size });
    await session.add(
      chunk.map((_, n) => ({ id: ids[start + n], role: 'query' as const })),
      input,
    );
  }
  const sets = DEFAULT_CONFIG.rList.length * model.manifest.taps.length;
  const rows = ids.map((id) => new Map(session.distancesKept(id).map((r) => [r.id, r.distances])));
  const distances = (i: number, j: number) => rows[i].get(ids[j]);
  const typical = (i: number, j: number) => {
    const row = distances(i, j);
    return row && typicalDistance(row, sets);
  };
  const grayscale = (i: number) => isGrayscale(loaded.images[i]);
  const screening = screen({ count: ids.length, sets, distances, typical, grayscale });
  const typicalPair = screening.typicalPair ?? NaN;
  const pairs: Array<{ a: string; b: string; ratio: number; duplicate: boolean }> = [];
  for (let a = 0; a < ids.length; a++)
    for (let b = a + 1; b < ids.length; b++)
      pairs.push({
        a: shortName(ids[a]),
        b: shortName(ids[b]),
        ratio: Math.max(typical(a, b) ?? NaN, typical(b, a) ?? NaN) / typicalPair,
        duplicate: family(ids[a]) && family(ids[b]),
      });
  const dup = pairs.filter((p) => p.duplicate).sort((x, y) => y.ratio - x.ratio);
  const distinct = pairs.filter((p) => !p.duplicate).sort((x, y) => x.ratio - y.ratio);
  const far = screening.images
    .map((s, i) => ({ name: shortName(ids[i]), farness: s.farness ?? NaN, group: s.group }))
    .sort((x, y) => y.farness - x.farness);
  console.log(
    JSON.stringify({
      images: ids.length,
      typicalPair: round(typicalPair),
      typicalUsual: round(screening.typicalUsual ?? NaN),
      duplicatePairs: dup.length,
      duplicateRatioLargest: dup.slice(0, 3).map((p) => ({ ...p, ratio: round(p.ratio) })),
      duplicateRatios: dup.map((p) => round(p.ratio)),
      distinctRatioSmallest: distinct.slice(0, 4).map((p) => ({ ...p, ratio: round(p.ratio) })),
      farnessLargest: far.slice(0, 4).map((f) => ({ ...f, farness: round(f.farness) })),
      farnessSmallest: round(far[far.length - 1].farness),
      groups: new Set(screening.images.map((s) => s.group)).size,
      grayscaleImages: ids.filter((_, i) => grayscale(i)).length,
      notComparable: screening.images.flatMap((s, i) =>
        s.notComparable ? [`${shortName(ids[i])}: ${s.notComparable}`] : [],
      ),
      duplicates: pairs.filter((p) => p.ratio < DUPLICATE_RATIO).map((p) => `${p.a}~${p.b} ${round(p.ratio)}`),
    }),
  );
  session.close();
}
await model.close();
