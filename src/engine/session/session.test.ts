import { describe, expect, it } from 'vitest';
import { nearestLayerSlots } from '../kernels/nearestRows.ts';
import { tsKernel } from '../kernels/tsKernel.ts';
import { perDegree } from '../layerSlots.ts';
import { matmulSlots } from '../msm.ts';
import { runMusc } from '../pipeline.ts';
import { randomUnitRows, randomValues, seededRandom } from '../random.ts';
import { DEFAULT_CONFIG, type LayerFeatures, type MuscInput, type MuscProgress } from '../types.ts';
import { nearestScorers } from '../evidence.ts';
import { judge } from './judge.ts';
import type { ImageRole, ScorerPolicy } from './scorers.ts';
import { ScoringSession, type SessionConfig, type SessionState } from './session.ts';

const GRID = 3;
const DIMS = [5, 7];
const EMBED = 4;
const POOL = 14;
const TOLERANCE = 1e-6;
const config = (over: Partial<SessionConfig> = {}): SessionConfig => ({
  ...DEFAULT_CONFIG,
  rList: [1, 3],
  imageSize: 12,
  forceSmallBatch: false,
  scorers: 'references',
  ...over,
});
const slots = perDegree(matmulSlots(tsKernel));

/** A pool of random images: 2 layers with a CLS slot, and unit embeddings. */
function randomPool(seed: number): MuscInput {
  const random = seededRandom(seed);
  return {
    layers: DIMS.map((dim): LayerFeatures => ({
      data: randomValues(POOL * (1 + GRID * GRID) * dim, random),
      images: POOL,
      grid: GRID,
      dim,
      skip: 1,
    })),
    embeddings: randomUnitRows(POOL, EMBED, random),
    embedDim: EMBED,
  };
}

/** Images `picks` of the pool, in that order, as one input. */
function pick(pool: MuscInput, picks: readonly number[]): MuscInput {
  const take = (data: Float32Array, size: number) => {
    const out = new Float32Array(picks.length * size);
    picks.forEach((from, to) => out.set(data.subarray(from * size, (from + 1) * size), to * size));
    return out;
  };
  return {
    layers: pool.layers.map((l) => ({
      ...l,
      images: picks.length,
      data: take(l.data, (l.skip + l.grid * l.grid) * l.dim),
    })),
    embeddings: pool.embeddings && take(pool.embeddings, pool.embedDim),
    embedDim: pool.embedDim,
  };
}

const idOf = (n: number) => `img${n}`;
const indexOf = (id: string) => Number(id.slice(3));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++)
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]`).toBeLessThanOrEqual(TOLERANCE);
}

/** Checks every score of the session against from-scratch runs of the pipeline over the same images and roles. */
async function expectFromScratch(pool: MuscInput, state: SessionState, policy: ScorerPolicy): Promise<void> {
  const refs = state.images.filter((i) => i.role === 'reference').map((i) => indexOf(i.id));
  const queries = state.images.filter((i) => i.role === 'query').map((i) => indexOf(i.id));
  const scored = (n: number) => state.images.find((i) => i.id === idOf(n));
  if (refs.length === 0 || policy === 'all') {
    const all = state.images.map((i) => indexOf(i.id));
    expect(state.mode).toBe('mutual');
    if (all.length < 5) {
      expect(state.images.every((i) => i.patchScores === null)).toBe(true);
      return;
    }
    const scratch = await runMusc(pick(pool, all), { ...config(), kList: [] });
    all.forEach((n, k) => {
      expectClose(
        scored(n)?.patchScores ?? [],
        scratch.patchScores.subarray(k * GRID * GRID, (k + 1) * GRID * GRID),
        `patch scores of ${n}`,
      );
      expect(Math.abs((scored(n)?.rawScore ?? NaN) - scratch.imageScoresRaw[k])).toBeLessThanOrEqual(TOLERANCE);
    });
    if (refs.length === 0) {
      const full = await runMusc(pick(pool, all), config());
      expectClose(
        judge(state, DEFAULT_CONFIG.kList, false).findings.map((f) => f.score ?? NaN),
        full.imageScores,
        'batch-relative scores',
      );
    }
    return;
  }
  expect(state.mode).toBe('references');
  // A query against the references alone is the last image of a forced run over [references, query].
  for (const q of queries) {
    const scratch = await runMusc(pick(pool, [...refs, q]), { ...config(), kList: [], forceSmallBatch: true });
    expectClose(scored(q)?.patchScores ?? [], scratch.patchScores.subarray(refs.length * GRID * GRID), `query ${q}`);
  }
  // Each reference against the other references: a forced run over the references.
  if (refs.length >= 2) {
    const scratch = await runMusc(pick(pool, refs), { ...config(), kList: [], forceSmallBatch: true });
    refs.forEach((n, k) =>
      expectClose(
        scored(n)?.patchScores ?? [],
        scratch.patchScores.subarray(k * GRID * GRID, (k + 1) * GRID * GRID),
        `reference ${n}`,
      ),
    );
  } else {
    expect(scored(refs[0])?.patchScores).toBeNull();
  }
}

type Step =
  | { kind: 'add'; images: number[]; role: ImageRole }
  | { kind: 'remove'; images: number[] }
  | { kind: 'role'; image: number; role: ImageRole };

/** A random sequence of adds (1-3 images), removes and role changes over the pool. */
function randomSteps(seed: number, count: number): Step[] {
  const random = seededRandom(seed);
  const inside = new Set<number>();
  const steps: Step[] = [];
  while (steps.length < count) {
    const outside = [...Array(POOL).keys()].filter((n) => !inside.has(n));
    const choice = random();
    if ((choice < 0.6 || inside.size < 2) && outside.length > 0) {
      const images = outside.sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 3));
      images.forEach((n) => inside.add(n));
      steps.push({ kind: 'add', images, role: random() < 0.3 ? 'reference' : 'query' });
    } else if (choice < 0.85) {
      const victim = [...inside][Math.floor(random() * inside.size)];
      inside.delete(victim);
      steps.push({ kind: 'remove', images: [victim] });
    } else {
      steps.push({
        kind: 'role',
        image: [...inside][Math.floor(random() * inside.size)],
        role: random() < 0.5 ? 'reference' : 'query',
      });
    }
  }
  return steps;
}

async function apply(session: ScoringSession, pool: MuscInput, step: Step): Promise<void> {
  if (step.kind === 'add')
    await session.add(
      step.images.map((n) => ({ id: idOf(n), role: step.role })),
      pick(pool, step.images),
    );
  else if (step.kind === 'remove') await session.remove(step.images.map(idOf));
  else await session.setRoles(new Map([[idOf(step.image), step.role]]));
}

describe('ScoringSession', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'equals from-scratch runs after random adds, removes and role changes (seed %i)',
    async (seed) => {
      const pool = randomPool(seed);
      const policy: ScorerPolicy = seed % 3 === 0 ? 'all' : 'references';
      const session = new ScoringSession(config({ scorers: policy }), DIMS.length, slots);
      for (const step of randomSteps(seed, 14)) {
        await apply(session, pool, step);
        await expectFromScratch(pool, session.state(), policy);
      }
    },
  );

  it('adding one image to N computes N pairs, and removing computes none', async () => {
    const pool = randomPool(11);
    const session = new ScoringSession(config({ scorers: 'all' }), DIMS.length, slots);
    let progress: MuscProgress[] = [];
    const track = { onProgress: (p: MuscProgress) => progress.push(p) };
    await session.add(
      [...Array(8).keys()].map((n) => ({ id: idOf(n), role: 'query' as const })),
      pick(pool, [...Array(8).keys()]),
      track,
    );
    expect(progress.at(-1)).toEqual({ stage: 'msm', done: 28, total: 28 });
    progress = [];
    await session.add([{ id: idOf(8), role: 'query' }], pick(pool, [8]), track);
    expect(progress.at(-1)).toEqual({ stage: 'msm', done: 8, total: 8 });
    progress = [];
    await session.remove([idOf(3)], track);
    expect(progress).toEqual([{ stage: 'msm', done: 0, total: 0 }]);
    await expectFromScratch(pool, session.state(), 'all');
  });

  it('scores a query against the references only, so a later query changes no earlier score', async () => {
    const pool = randomPool(12);
    const session = new ScoringSession(config(), DIMS.length, slots);
    await session.add(
      [0, 1, 2].map((n) => ({ id: idOf(n), role: 'reference' as const })),
      pick(pool, [0, 1, 2]),
    );
    const seen: Array<[string, number | null]> = [];
    for (const n of [3, 4, 5, 6]) {
      await session.add([{ id: idOf(n), role: 'query' }], pick(pool, [n]));
      const judgement = judge(session.state(), DEFAULT_CONFIG.kList, false);
      expect(judgement.scale).toBe('distance');
      expect(judgement.findings.map((f) => f.id)).not.toContain(idOf(0));
      for (const [id, score] of seen) expect(judgement.findings.find((f) => f.id === id)?.score).toBe(score);
      const latest = judgement.findings.at(-1);
      seen.push([latest?.id ?? '', latest?.score ?? null]);
      expect(latest?.verdict).not.toBeNull();
    }
  });

  it('keeps, for the evidence, the distances scoring measured: each scorer ranked for a patch, and the image’s usual match', async () => {
    const pool = randomPool(31);
    const refs = [0, 1, 2, 3];
    const session = new ScoringSession(config(), DIMS.length, slots);
    await session.add(
      refs.map((n) => ({ id: idOf(n), role: 'reference' as const })),
      pick(pool, refs),
    );
    await session.add([{ id: idOf(4), role: 'query' }], pick(pool, [4]));
    const sets = config().rList.length * DIMS.length;
    const rows = session.scorerDistances(idOf(4));
    expect(rows?.map((r) => r.id)).toEqual(refs.map(idOf));
    // Truth: the query's patch scores against one reference alone (a forced run over [j, query])
    // are its distances to j, averaged over the feature sets.
    const against = async (j: number) =>
      (await runMusc(pick(pool, [j, 4]), { ...config(), kList: [], forceSmallBatch: true })).patchScores.subarray(
        GRID * GRID,
      );
    const truth = await Promise.all(refs.map(against));
    const patch = 5;
    const found = nearestScorers(rows ?? [], sets, patch);
    const expected = refs.map((j, k) => ({ id: idOf(j), distance: truth[k][patch] }));
    expected.sort((a, b) => a.distance - b.distance);
    expect(found.matches.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expectClose(
      found.matches.map((m) => m.distance),
      expected.map((m) => m.distance),
      'distances',
    );
    const nearest = Array.from({ length: GRID * GRID }, (_, p) => Math.min(...truth.map((row) => row[p]))).sort(
      (a, b) => a - b,
    );
    expect(Math.abs(found.usual - nearest[(GRID * GRID) >> 1])).toBeLessThanOrEqual(TOLERANCE);
    expect(session.scorerDistances('missing')).toBeNull();
  });

  it('one reference and one query is an inspection: a score, and no verdict until a second reference calibrates one', async () => {
    const pool = randomPool(13);
    const session = new ScoringSession(config(), DIMS.length, slots);
    await session.add(
      [
        { id: idOf(0), role: 'reference' },
        { id: idOf(1), role: 'query' },
      ],
      pick(pool, [0, 1]),
    );
    let judgement = judge(session.state(), DEFAULT_CONFIG.kList, false);
    expect(judgement.findings).toEqual([
      { id: idOf(1), score: expect.any(Number), verdict: null, screening: expect.any(Object) },
    ]);
    expect(judgement.rule).toMatch(/^Mark at least 2 known-good references/);
    await session.add([{ id: idOf(2), role: 'reference' }], pick(pool, [2]));
    judgement = judge(session.state(), DEFAULT_CONFIG.kList, false);
    expect(judgement.threshold).toEqual(expect.any(Number));
    expect(judgement.findings[0].verdict).not.toBeNull();
  });

  it('keeps the most recent queries of a window and every reference; the dropped images are reported', async () => {
    const pool = randomPool(14);
    const session = new ScoringSession(config({ scorers: 'all', window: 5 }), DIMS.length, slots);
    await session.add([{ id: idOf(0), role: 'reference' }], pick(pool, [0]));
    const evicted: string[] = [];
    for (let n = 1; n <= 8; n++)
      evicted.push(...(await session.add([{ id: idOf(n), role: 'query' }], pick(pool, [n]))));
    expect(evicted).toEqual([idOf(1), idOf(2), idOf(3)]);
    expect(session.state().images.map((i) => i.id)).toEqual([0, 4, 5, 6, 7, 8].map(idOf));
    await expectFromScratch(pool, session.state(), 'all');
  });

  it('gives the same distances on the WebAssembly kernel, every degree from one product per pair', async () => {
    const pool = randomPool(15);
    const a = new ScoringSession(config({ scorers: 'all' }), DIMS.length, slots);
    const b = new ScoringSession(config({ scorers: 'all' }), DIMS.length, nearestLayerSlots);
    const images = [...Array(7).keys()].map((n) => ({ id: idOf(n), role: 'query' as const }));
    await a.add(images, pick(pool, [...Array(7).keys()]));
    await b.add(images, pick(pool, [...Array(7).keys()]));
    a.state().images.forEach((image, k) =>
      expectClose(image.patchScores ?? [], b.state().images[k].patchScores ?? [], image.id),
    );
  });

  it.each([
    ['matmul', slots],
    ['WebAssembly', nearestLayerSlots],
  ])('with aligned parts, scores as a from-scratch run with the same shortcut (%s slots)', async (_, factory) => {
    const pool = randomPool(16);
    const aligned = config({ scorers: 'all', alignedTolerance: 0.2 }); // 3 bands of 1 row on the 3×3 grid
    const session = new ScoringSession(aligned, DIMS.length, factory);
    const picks = [...Array(8).keys()];
    await session.add(
      picks.map((n) => ({ id: idOf(n), role: 'query' as const })),
      pick(pool, picks),
    );
    const scratch = await runMusc(pick(pool, picks), { ...aligned, kList: [] });
    const exact = await runMusc(pick(pool, picks), { ...config(), kList: [] });
    const patches = GRID * GRID;
    session
      .state()
      .images.forEach((image, k) =>
        expectClose(image.patchScores ?? [], scratch.patchScores.subarray(k * patches, (k + 1) * patches), image.id),
      );
    const moved = scratch.patchScores.map((v, i) => Math.abs(v - exact.patchScores[i]));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3); // the top and bottom rows no longer meet
  });

  describe('with candidate images', () => {
    const ringed = config({ scorers: 'all', candidates: 4 });
    const twelve = [...Array(12).keys()];
    const queries = (picks: readonly number[]) => picks.map((n) => ({ id: idOf(n), role: 'query' as const }));
    /** Pairs computed by a session call, from its last progress report. */
    const pairsOf = async (call: (opts: { onProgress: (p: MuscProgress) => void }) => Promise<unknown>) => {
      let total = 0;
      await call({ onProgress: (p) => (total = p.total) });
      return total;
    };

    it('scores as the pipeline scores the whole batch at once, computing N·K/2 pairs; grown one by one, K pairs per image', async () => {
      const pool = randomPool(17);
      const atOnce = new ScoringSession(ringed, DIMS.length, slots);
      expect(await pairsOf((opts) => atOnce.add(queries(twelve), pick(pool, twelve), opts))).toBe((12 * 4) / 2);
      const scratch = await runMusc(pick(pool, twelve), { ...ringed, kList: [] });
      const exact = await runMusc(pick(pool, twelve), { ...config(), kList: [] });
      const patches = GRID * GRID;
      const state = atOnce.state();
      state.images.forEach((image, k) => {
        expect(image.scorers).toBe(4);
        expectClose(image.patchScores ?? [], scratch.patchScores.subarray(k * patches, (k + 1) * patches), image.id);
      });
      const moved = scratch.patchScores.map((v, i) => Math.abs(v - exact.patchScores[i]));
      expect(Math.max(...moved)).toBeGreaterThan(1e-3); // 4 scorers of 11 are not every other image
      const full = await runMusc(pick(pool, twelve), ringed);
      expectClose(
        judge(state, DEFAULT_CONFIG.kList, false).findings.map((f) => f.score ?? NaN),
        full.imageScores,
        'batch-relative scores',
      );
      // One by one: every other image until the ring forms at 6 images (2·2 < 5), then each new image meets its 4 neighbours.
      const grown = new ScoringSession(ringed, DIMS.length, slots);
      const costs: number[] = [];
      for (const n of twelve) costs.push(await pairsOf((opts) => grown.add(queries([n]), pick(pool, [n]), opts)));
      expect(costs).toEqual([0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4]);
      grown
        .state()
        .images.forEach((image, k) =>
          expectClose(image.patchScores ?? [], state.images[k].patchScores ?? [], image.id),
        );
    });

    it('after a removal, the images beside it on the ring meet a new neighbour: as if it had never been added', async () => {
      const pool = randomPool(18);
      const removedLater = new ScoringSession(ringed, DIMS.length, slots);
      await removedLater.add(queries(twelve), pick(pool, twelve));
      const paired = await pairsOf((opts) => removedLater.remove([idOf(3), idOf(7)], opts));
      // the 2 neighbours on each side of each removed image each gain one scorer at the far end
      expect(paired).toBeGreaterThan(0);
      expect(paired).toBeLessThanOrEqual(4);
      // the same images, the removed ones taken out before the later ones arrive (same handles, so the same ring)
      const removedEarly = new ScoringSession(ringed, DIMS.length, slots);
      await removedEarly.add(queries(twelve.slice(0, 8)), pick(pool, twelve.slice(0, 8)));
      await removedEarly.remove([idOf(3), idOf(7)]);
      await removedEarly.add(queries(twelve.slice(8)), pick(pool, twelve.slice(8)));
      const later = removedLater.state().images;
      expect(later.map((i) => i.id)).toEqual(removedEarly.state().images.map((i) => i.id));
      later.forEach((image, k) => {
        expect(image.scorers).toBe(4);
        expectClose(image.patchScores ?? [], removedEarly.state().images[k].patchScores ?? [], image.id);
      });
    });

    it('scores a query against every reference: candidates choose among mutual scorers only', async () => {
      const pool = randomPool(19);
      const session = new ScoringSession(config({ candidates: 2 }), DIMS.length, slots);
      await session.add(
        [0, 1, 2, 3, 4, 5].map((n) => ({ id: idOf(n), role: 'reference' as const })),
        pick(pool, [0, 1, 2, 3, 4, 5]),
      );
      await session.add(queries([6, 7]), pick(pool, [6, 7]));
      await expectFromScratch(pool, session.state(), 'references');
    });
  });

  it('leaves the session unchanged when an add is cancelled, and refuses a duplicate id or another encoding', async () => {
    const pool = randomPool(16);
    const session = new ScoringSession(config({ scorers: 'all' }), DIMS.length, slots);
    await session.add(
      [0, 1, 2, 3, 4].map((n) => ({ id: idOf(n), role: 'query' as const })),
      pick(pool, [0, 1, 2, 3, 4]),
    );
    const before = session.state();
    const controller = new AbortController();
    controller.abort();
    await expect(
      session.add([{ id: idOf(5), role: 'query' }], pick(pool, [5]), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(session.state()).toEqual(before);
    await expect(session.add([{ id: idOf(0), role: 'query' }], pick(pool, [0]))).rejects.toThrow(
      /"img0" is already in the session/,
    );
    const other = pick(pool, [5]);
    const regridded = {
      ...other,
      layers: other.layers.map((l) => ({ ...l, grid: 1, data: l.data.subarray(0, 2 * l.dim) })),
    };
    await expect(session.add([{ id: idOf(5), role: 'query' }], regridded)).rejects.toThrow(/encoded differently/);
  });
});
