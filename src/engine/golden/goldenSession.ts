// A golden pipeline case fed to a scoring session (session/session.ts) in pieces, as the page
// feeds a growing batch: images added a few at a time in a shuffled order, two removed and added
// again; then the session's outputs against the case's expected values (checkGolden.ts, same
// tolerances). Shared by the Node session test (any kernel's feature slots) and the browser
// harness (the WASM kernel pool's slots, as the page scores).

import type { LayerSlotsFactory } from '../layerSlots.ts';
import { seededRandom } from '../random.ts';
import { judge } from '../session/judge.ts';
import { ScoringSession } from '../session/session.ts';
import type { MuscInput } from '../types.ts';
import { goldenConfig, goldenLayers, pipelineDeviations, type OutputDeviation } from './checkGolden.ts';
import type { PipelineGoldenCase } from './goldenCase.ts';

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

/** A session on `slots` holding every image of the case (id: its index), fed in pieces chosen by `seed`. */
export async function feedInPieces(
  c: PipelineGoldenCase,
  slots: LayerSlotsFactory,
  seed: number,
): Promise<ScoringSession> {
  const cfg = goldenConfig(c);
  const session = new ScoringSession({ ...cfg, scorers: 'references' }, c.config.layers, slots);
  try {
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
    await session.remove([String(order[0]), String(order[2])]);
    await add([order[2], order[0]]);
    return session;
  } catch (err) {
    session.close();
    throw err;
  }
}

/** Deviations of a session holding every image of the case (feedInPieces) from its expected outputs. */
export function sessionDeviations(c: PipelineGoldenCase, session: ScoringSession): Promise<OutputDeviation[]> {
  const state = session.state();
  const findings = judge(state, c.config.kList, false).findings;
  const byImage = (n: number) => state.images.findIndex((i) => i.id === String(n));
  const P = c.config.grid ** 2;
  const images = [...Array(c.config.images).keys()];
  const patchScores = new Float64Array(c.config.images * P);
  images.forEach((n) => patchScores.set(state.images[byImage(n)].patchScores ?? [], n * P));
  return pipelineDeviations(c, {
    images: c.config.images,
    grid: c.config.grid,
    patchScores,
    imageScoresRaw: Float64Array.from(images, (n) => state.images[byImage(n)].rawScore ?? NaN),
    imageScores: Float64Array.from(images, (n) => findings[byImage(n)].score ?? NaN),
  });
}
