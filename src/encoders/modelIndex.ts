// Which installed model the app and the CLI use when the user picks none: the best real
// (non-fixture) encoder. Random-weight fixtures are never chosen for inspection.
import type { ModelFamily, ModelManifest } from './manifest.ts';

export interface ModelIndexEntry {
  id: string;
  displayName: string;
  family: ModelFamily;
  fixture: boolean;
  /** preference among installed models; higher is better */
  rank: number;
}

export interface ModelIndex {
  default: string | null;
  models: ModelIndexEntry[];
}

/** MVTec results in docs/method.md §16 put DINOv2 ahead of CLIP ahead of DINO v1; the CNN trunks come after. */
const FAMILY_RANK: Record<ModelFamily, number> = { dinov2: 400, clip: 300, dino: 200, cnn: 100 };

export function buildModelIndex(manifests: ModelManifest[], catalogRank: (id: string) => number): ModelIndex {
  const models = manifests
    .map((m) => ({
      id: m.id,
      displayName: m.displayName,
      family: m.family,
      fixture: m.fixture,
      rank: m.fixture ? 0 : FAMILY_RANK[m.family] + catalogRank(m.id),
    }))
    .sort((a, b) => b.rank - a.rank || a.id.localeCompare(b.id));
  const best = models.find((m) => !m.fixture);
  return { default: best?.id ?? null, models };
}
