// Model availability and loading through react-query: cached, deduplicated, cancellable.
import { useQuery } from '@tanstack/react-query';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import type { ModelIndex } from '../encoders/modelIndex.ts';
import { isAddedModel } from '../platform/browser/addedModels.ts';
import type { AddedModel, BackendPreference } from '../worker/protocol.ts';
import { loadedModelKey, queryClient } from './queryClient.ts';
import { useUiStore } from './store.ts';
import { workerClient } from './workerClient.ts';

const MODELS = `${import.meta.env.BASE_URL}models/`;
export const ADDED_MODELS_KEY = ['added-models'] as const;

export function useModelIndex() {
  return useQuery({
    queryKey: ['model-index'],
    queryFn: async ({ signal }): Promise<ModelIndex> => {
      const response = await fetch(`${MODELS}index.json`, { signal });
      if (!response.ok)
        throw new Error('No models are installed on this site. Run `npm install`, which installs them.');
      return (await response.json()) as ModelIndex;
    },
    staleTime: Infinity,
  });
}

const addedModelsQuery = {
  queryKey: ADDED_MODELS_KEY,
  queryFn: async ({ signal }: { signal: AbortSignal }): Promise<AddedModel[]> =>
    (await workerClient.call('added-models', {}, { signal })).models,
  staleTime: Infinity,
};

/** Models the user added in this browser (Settings → "Add a model…"), with the storage each takes. */
export function useAddedModels() {
  return useQuery(addedModelsQuery);
}

/** The manifest of a model: its variants, input size and taps, for the settings panel. */
export function useModelManifest(modelId: string | null) {
  return useQuery({
    queryKey: ['model-manifest', modelId],
    enabled: modelId !== null,
    queryFn: async ({ signal }): Promise<ModelManifest> => {
      if (modelId !== null && isAddedModel(modelId)) {
        // the list the settings show, read once for both
        const added = await queryClient.fetchQuery(addedModelsQuery);
        const found = added.find((m) => m.manifest.id === modelId);
        if (!found)
          throw new Error(
            `Model "${modelId}" is no longer stored in this browser. Pick another model in Settings, or add it again.`,
          );
        return found.manifest;
      }
      const response = await fetch(`${MODELS}${encodeURIComponent(modelId as string)}/manifest.json`, { signal });
      if (!response.ok)
        throw new Error(
          `Model "${modelId}" is not installed on this site. Run \`npm install\` to install it, or pick another model.`,
        );
      return (await response.json()) as ModelManifest;
    },
    staleTime: Infinity,
  });
}

export function useLoadedModel(modelId: string | null, backend: BackendPreference, variant: VariantDtype | null) {
  const setLoadProgress = useUiStore((s) => s.setLoadProgress);
  return useQuery({
    queryKey: loadedModelKey(modelId, backend, variant),
    enabled: modelId !== null,
    queryFn: async ({ signal }) => {
      try {
        return await workerClient.call(
          'load-model',
          { modelId: modelId as string, backend, variant },
          { signal, onProgress: setLoadProgress },
        );
      } finally {
        setLoadProgress(null);
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}
