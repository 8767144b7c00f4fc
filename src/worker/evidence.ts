// The detail view's evidence for a patch (engine evidence.ts): from the distances the held
// scoring session kept, or, for a plain batch on WebGPU (scored whole, no session kept), from
// the cached taps: that image's distances to every other image, computed once on the WebAssembly
// kernel in this thread and kept until the batch changes.
import { nearestPatch, nearestScorers, scorerDistancesFromFeatures, type ScorerDistances } from '../engine/evidence.ts';
import { nearestSlots } from '../engine/kernels/nearestRows.ts';
import type { LayerFeatures } from '../engine/types.ts';
import type { ModelManifest } from '../encoders/manifest.ts';
import { hostTaps, type ImageFeatures } from './features.ts';
import type { Evidence, ImageRef } from './protocol.ts';
import { heldEvidence } from './session.ts';

export interface EvidenceSource {
  /** the image's distances to each of its scorers */
  rows: ScorerDistances[];
  rList: readonly number[];
  /** an image's chosen taps in CPU memory */
  tapsOf: (id: string) => Promise<LayerFeatures[]> | null;
}

interface PlainBatch {
  keys: readonly string[];
  taps: Map<string, Promise<LayerFeatures[]>>;
  rList: readonly number[];
  /** distances computed so far, by image */
  rows: Map<string, Promise<ScorerDistances[]>>;
}

let plain: PlainBatch | null = null;

/** Remembers a batch scored whole (no session), so its evidence can be computed when asked. */
export function keepPlainBatch(
  manifest: ModelManifest,
  images: readonly ImageRef[],
  features: readonly ImageFeatures[],
  chosen: readonly string[],
  rList: readonly number[],
): void {
  const taps = new Map(images.map((image, n) => [image.key, hostTaps(manifest, features[n], chosen)]));
  plain = { keys: images.map((i) => i.key), taps, rList, rows: new Map() };
}

/** The batch on screen is in a session now: nothing of a plain batch is kept. */
export function forgetPlainBatch(): void {
  plain = null;
}

function plainEvidence(key: string): Promise<EvidenceSource> | null {
  const batch = plain;
  const query = batch?.taps.get(key);
  if (!batch || !query) return null;
  let rows = batch.rows.get(key);
  if (!rows) {
    const others = batch.keys.filter((k) => k !== key);
    rows = (async () =>
      scorerDistancesFromFeatures(
        await query,
        await Promise.all(
          others.map(async (id) => ({ id, layers: await (batch.taps.get(id) as Promise<LayerFeatures[]>) })),
        ),
        batch.rList,
        nearestSlots,
      ))();
    batch.rows.set(key, rows);
  }
  const tapsOf = (id: string) => batch.taps.get(id) ?? null;
  return rows.then((r) => ({ rows: r, rList: batch.rList, tapsOf }));
}

/** Why patch `patch` of image `key` scored as it did; null when the image is not in the batch scored last. */
export async function evidenceFor(key: string, patch: number, count: number): Promise<Evidence | null> {
  const source = heldEvidence(key) ?? (await plainEvidence(key));
  const query = source?.tapsOf(key);
  if (!source || !query) return null;
  const sets = source.rList.length * (await query).length;
  const found = nearestScorers(source.rows, sets, patch);
  const matches = await Promise.all(
    found.matches.slice(0, count).map(async ({ id, distance }) => {
      const target = source.tapsOf(id);
      const at = target ? nearestPatch(await query, await target, patch, source.rList) : null;
      return { key: id, distance, patch: at?.patch ?? null };
    }),
  );
  const distance = found.matches[0]?.distance ?? NaN;
  return { patch, distance, usual: found.usual, scorers: found.matches.length, matches };
}
