// The detail view's evidence for a patch (engine evidence.ts), from the distances the held
// scoring session kept.
import { nearestPatch, nearestScorers, type ScorerDistances } from '../engine/evidence.ts';
import type { LayerFeatures } from '../engine/types.ts';
import type { Evidence } from './protocol.ts';
import { heldEvidence } from './session.ts';

export interface EvidenceSource {
  /** the image's distances to each of its scorers */
  rows: ScorerDistances[];
  rList: readonly number[];
  /** an image's chosen taps in CPU memory */
  tapsOf: (id: string) => Promise<LayerFeatures[]> | null;
}

/** Why patch `patch` of image `key` scored as it did; null when the image is not in the batch scored last. */
export async function evidenceFor(key: string, patch: number, count: number): Promise<Evidence | null> {
  const source = heldEvidence(key);
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
