// The page's incremental scoring: the worker keeps one scoring session (engine/session) for the
// batch on screen. Each `score` call sends the whole batch; the session takes out the images that
// left it, changes the roles that changed and adds the new images, so only their image pairs are
// computed (adding 1 image to 12 costs 12 pairs, not 78; with K candidate images, K). Its pairs
// run on the kernel pool's feature slots on the CPU (msmPool.ts), or on the GPU's (src/gpu) when
// the model runs there.
import * as ort from 'onnxruntime-web/webgpu';
import { perDegree, type LayerSlotsFactory } from '../engine/layerSlots.ts';
import { judge, type Judgement } from '../engine/session/judge.ts';
import type { ImageRole } from '../engine/session/scorers.ts';
import { ScoringSession, type SessionOptions, type SessionState } from '../engine/session/session.ts';
import type { LayerFeatures } from '../engine/types.ts';
import { gpuSlots } from '../gpu/index.ts';
import { assembleOnHost, hostTaps, type ImageFeatures } from './features.ts';
import type { Loaded } from './models.ts';
import { createMsmPool, type MsmPool } from './msmPool.ts';
import type { EvidenceSource } from './evidence.ts';
import type { BrowserBackend, ImageRef, ScoreSettings } from './protocol.ts';

interface Held {
  /** what the session's scores depend on: model, backend, geometry, layers, MuSc settings */
  key: string;
  session: ScoringSession;
  on: BrowserBackend;
  pool: MsmPool | null;
  /** the chosen taps of each image in the session, in CPU memory, for evidence */
  taps: Map<string, Promise<LayerFeatures[]>>;
  rList: readonly number[];
}

let held: Held | null = null;

function sessionKey(model: Loaded, s: ScoreSettings): string {
  const { modelId, variant, backendInfo } = model.reply;
  return JSON.stringify([
    modelId,
    variant,
    backendInfo.backend,
    s.inputSize,
    s.grid,
    s.taps,
    s.rList,
    s.interval,
    s.forceSmallBatch,
    s.alignedTolerance,
    s.candidates,
  ]);
}

/** Frees the held session (its pool's workers, its GPU buffers). */
export function dropSession(): void {
  held?.session.close();
  held?.pool?.close();
  held = null;
}

async function open(model: Loaded, settings: ScoreSettings, key: string): Promise<Held> {
  dropSession();
  const onGpu = model.reply.backendInfo.backend === 'webgpu';
  const pool = onGpu ? null : createMsmPool();
  const slots: LayerSlotsFactory = pool ? pool.slots : perDegree(gpuSlots(await ort.env.webgpu.device));
  const config = {
    rList: settings.rList,
    interval: settings.interval,
    kList: settings.kList,
    imageSize: settings.inputSize,
    forceSmallBatch: settings.forceSmallBatch,
    alignedTolerance: settings.alignedTolerance,
    candidates: settings.candidates,
    scorers: 'references' as const,
  };
  const layers = model.manifest.taps.filter((t) => settings.taps.includes(t.name)).length;
  held = {
    key,
    session: new ScoringSession(config, layers, slots),
    on: onGpu ? 'webgpu' : 'wasm',
    pool,
    taps: new Map(),
    rList: settings.rList,
  };
  return held;
}

export interface SessionScores {
  state: SessionState;
  judgement: Judgement;
  /** unordered image pairs this call computed */
  pairs: number;
  on: BrowserBackend;
}

/** The held session being brought to a batch while its new images encode. */
export interface SessionFeed {
  /** Adds these images of the batch (by index, with their features) after those offered before, in the background. */
  offer(indices: readonly number[], features: readonly ImageFeatures[]): void;
  /** Adds whatever was not offered, waits for every add, and judges the batch. */
  finish(features: ImageFeatures[]): Promise<SessionScores>;
  /** Waits for the add in flight (after a failed or cancelled encoding), so the next call finds the session still. */
  abandon(): Promise<void>;
}

/**
 * Brings the held session to exactly `images`: takes out the images that left it and changes the
 * roles that changed now, then adds each new image as it is offered, so image k's pairs are
 * computed while image k+1 encodes. A cancel leaves the session as it was before the step that
 * was cancelled; the images added before it stay, and a re-run adds only the rest.
 */
export async function feedSession(
  model: Loaded,
  settings: ScoreSettings,
  images: readonly ImageRef[],
  onPairs: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<SessionFeed> {
  const key = sessionKey(model, settings);
  const { session, on, taps } = held?.key === key ? held : await open(model, settings, key);
  const roleOf = (image: ImageRef): ImageRole => image.role ?? 'query';
  const wanted = new Map(images.map((image) => [image.key, image]));
  const kept = session.state().images;
  const gone = kept.filter((i) => !wanted.has(i.id)).map((i) => i.id);
  // Pairs computed by this call, over its steps (a removal, a role change, then each group of new images).
  let pairs = 0;
  const step = (): SessionOptions => {
    const base = pairs;
    return {
      signal,
      onProgress: ({ done, total }) => {
        pairs = base + total;
        onPairs(base + done, base + total);
      },
    };
  };
  if (gone.length > 0) await session.remove(gone, step());
  gone.forEach((id) => taps.delete(id));
  const changed = new Map(
    kept.flatMap((i) => {
      const image = wanted.get(i.id);
      return image && roleOf(image) !== i.role ? [[i.id, roleOf(image)] as const] : [];
    }),
  );
  if (changed.size > 0) await session.setRoles(changed, step());
  const add = async (indices: readonly number[], features: (n: number) => ImageFeatures) => {
    const fresh = indices.filter((n) => !session.has(images[n].key));
    if (fresh.length === 0) return;
    const input = await assembleOnHost(model.manifest, fresh.map(features), settings.taps);
    const evicted = await session.add(
      fresh.map((n) => ({ id: images[n].key, role: roleOf(images[n]), grayscale: features(n).grayscale })),
      input,
      step(),
    );
    for (const n of fresh) taps.set(images[n].key, hostTaps(model.manifest, features(n), settings.taps));
    evicted.forEach((id) => taps.delete(id));
  };
  // One add at a time, in the order offered; the first failure ends the chain and is thrown by finish.
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  return {
    offer(indices, features) {
      if (failed) return;
      chain = chain.then(() => add(indices, (n) => features[indices.indexOf(n)]));
      chain.catch(() => (failed = true));
    },
    async finish(features) {
      await chain;
      await add(
        images.map((_, n) => n),
        (n) => features[n],
      );
      const state = session.state();
      return { state, judgement: judge(state, settings.kList, settings.forceSmallBatch), pairs, on };
    },
    abandon: () => chain.catch(() => undefined),
  };
}

/** What the held session kept for the evidence of one image (evidence.ts), or null when it does not hold it scored. */
export function heldEvidence(key: string): EvidenceSource | null {
  const rows = held?.session.scorerDistances(key);
  if (!held || !rows) return null;
  const { taps, rList } = held;
  return { rows, rList, tapsOf: (id) => taps.get(id) ?? null };
}
