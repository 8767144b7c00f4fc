// The settings a run sends to the worker: the user's choices with the model's defaults filled in.
import type { ModelManifest } from '../../encoders/manifest.ts';
import type { BackendPreference, ScoreSettings } from '../../worker/protocol.ts';
import type { MuscSettings } from '../store.ts';

export function resolveSettings(
  manifest: ModelManifest,
  backend: BackendPreference,
  settings: MuscSettings,
): ScoreSettings {
  const taps =
    settings.taps?.filter((name) => manifest.taps.some((t) => t.name === name)) ?? manifest.taps.map((t) => t.name);
  return {
    ...settings,
    modelId: manifest.id,
    backend,
    inputSize: settings.inputSize ?? manifest.input.size,
    // absent from choices remembered before the shortcut existed
    alignedTolerance: settings.alignedTolerance ?? null,
    candidates: settings.candidates ?? null,
    taps,
  };
}
