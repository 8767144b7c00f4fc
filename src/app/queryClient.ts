// The page's react-query client and the loaded-model query's key, shared by the hooks (queries.ts)
// and the run controller, which updates the loaded model from a score reply.
import { QueryClient } from '@tanstack/react-query';
import type { VariantDtype } from '../encoders/manifest.ts';
import type { BackendPreference, LoadedModel } from '../worker/protocol.ts';

export const queryClient = new QueryClient();

export function loadedModelKey(modelId: string | null, backend: BackendPreference, variant: VariantDtype | null) {
  return ['loaded-model', modelId, backend, variant] as const;
}

/**
 * Shows the model a score reply ran with: the worker may have reloaded it since the model query
 * answered (on WASM after a lost GPU device, with the reason), and the status must say so.
 */
export function showLoadedModel(
  request: { modelId: string; backend: BackendPreference; variant: VariantDtype | null },
  model: LoadedModel,
): void {
  queryClient.setQueryData(loadedModelKey(request.modelId, request.backend, request.variant), model);
}
