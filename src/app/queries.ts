// Model availability and loading through react-query: cached, deduplicated, cancellable.
import { useQuery } from '@tanstack/react-query';
import type { ModelIndex } from '../encoders/modelIndex.ts';
import type { BackendPreference } from '../worker/protocol.ts';
import { useUiStore } from './store.ts';
import { workerClient } from './workerClient.ts';

export function useModelIndex() {
  return useQuery({
    queryKey: ['model-index'],
    queryFn: async ({ signal }): Promise<ModelIndex> => {
      const response = await fetch(`${import.meta.env.BASE_URL}models/index.json`, { signal });
      if (!response.ok) throw new Error('No models are installed on this site. Run `npm install`, which installs them.');
      return (await response.json()) as ModelIndex;
    },
    staleTime: Infinity,
  });
}

export function useLoadedModel(modelId: string | null, backend: BackendPreference) {
  const setLoadProgress = useUiStore((s) => s.setLoadProgress);
  return useQuery({
    queryKey: ['loaded-model', modelId, backend],
    enabled: modelId !== null,
    queryFn: async ({ signal }) => {
      try {
        return await workerClient.call('load-model', { modelId: modelId as string, backend }, { signal, onProgress: setLoadProgress });
      } finally {
        setLoadProgress(null);
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}
