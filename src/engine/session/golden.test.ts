// The reference's golden vectors fed to a scoring session in pieces: images added a few at a
// time in a shuffled order, two removed and added again. Every output must still match.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenConfig, goldenLayers, pipelineDeviations } from '../golden/checkGolden.ts';
import { parseGoldenCase, type PipelineGoldenCase } from '../golden/goldenCase.ts';
import { nearestSlots } from '../kernels/nearestRows.ts';
import { tsKernel } from '../kernels/tsKernel.ts';
import { matmulSlots, type FeatureSlotsFactory } from '../msm.ts';
import { seededRandom } from '../random.ts';
import type { MuscInput } from '../types.ts';
import { judge } from './judge.ts';
import { ScoringSession } from './session.ts';

const shared = process.env.MUSCOPE_SHARED ?? resolve(import.meta.dirname, '../../../../shared');
const goldenDir = join(shared, 'golden');
const cases = readdirSync(goldenDir)
  .filter((f) => f.startsWith('pipeline') && f.endsWith('.json'))
  .sort()
  .map((f) => parseGoldenCase(JSON.parse(readFileSync(join(goldenDir, f), 'utf8'))) as PipelineGoldenCase);

/** Golden images `picks` as one input. */
function goldenInput(c: PipelineGoldenCase, picks: readonly number[]): MuscInput {
  const { embedDim } = c.config;
  return {
    layers: goldenLayers(c).map((layer) => {
      const size = (layer.skip + layer.grid * layer.grid) * layer.dim;
      const data = new Float32Array(picks.length * size);
      picks.forEach((n, k) => data.set(layer.data.subarray(n * size, (n + 1) * size), k * size));
      return { ...layer, images: picks.length, data };
    }),
    embeddings: Float32Array.from(picks.flatMap((n) => Array.from(c.cls.subarray(n * embedDim, (n + 1) * embedDim)))),
    embedDim,
  };
}

async function feedInPieces(c: PipelineGoldenCase, slots: FeatureSlotsFactory, seed: number): Promise<ScoringSession> {
  const cfg = goldenConfig(c);
  const session = new ScoringSession({ ...cfg, scorers: 'references' }, c.config.layers, slots);
  const random = seededRandom(seed);
  const order = [...Array(c.config.images).keys()].sort(() => random() - 0.5);
  const add = (picks: number[]) =>
    session.add(
      picks.map((n) => ({ id: String(n), role: 'query' as const })),
      goldenInput(c, picks),
    );
  for (let at = 0; at < order.length;) {
    const piece = order.slice(at, at + 1 + Math.floor(random() * 3));
    await add(piece);
    at += piece.length;
  }
  session.remove([String(order[0]), String(order[2])]);
  await add([order[2], order[0]]);
  return session;
}

describe.each([
  ['ts', matmulSlots(tsKernel)],
  ['wasm-simd', nearestSlots],
] as const)('golden vectors fed to a scoring session in pieces (%s kernel)', (_, slots) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const session = await feedInPieces(c, slots, c.config.images);
    const state = session.state();
    const findings = judge(state, c.config.kList, false).findings;
    const byImage = (n: number) => state.images.findIndex((i) => i.id === String(n));
    const P = c.config.grid ** 2;
    const images = [...Array(c.config.images).keys()];
    const patchScores = new Float64Array(c.config.images * P);
    images.forEach((n) => patchScores.set(state.images[byImage(n)].patchScores ?? [], n * P));
    const outputs = {
      images: c.config.images,
      grid: c.config.grid,
      patchScores,
      imageScoresRaw: Float64Array.from(images, (n) => state.images[byImage(n)].rawScore ?? NaN),
      imageScores: Float64Array.from(images, (n) => findings[byImage(n)].score ?? NaN),
    };
    for (const d of await pipelineDeviations(c, outputs))
      expect(d.worst, `${c.name} ${d.output}`).toBeLessThanOrEqual(d.tolerance);
  });
});
