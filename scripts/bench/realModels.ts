// The installed models whose speed means something: random-weight test fixtures are left out.

import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { installedModelIds, loadManifest } from '../../src/platform/node/models.ts';

export const installedRealModels = (): ModelManifest[] =>
  installedModelIds()
    .map((id) => loadManifest(id))
    .filter((m) => !m.fixture);
