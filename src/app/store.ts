// UI state: what the user chose and what the page is doing. Results live elsewhere.
import { create } from 'zustand';
import type { LoadProgress, BackendPreference } from '../worker/protocol.ts';

export type AppState = 'idle' | 'loading-model' | 'encoding' | 'scoring' | 'done' | 'error' | 'cancelled';

interface UiStore {
  backendPreference: BackendPreference;
  modelId: string | null;
  loadProgress: LoadProgress | null;
  setBackendPreference: (b: BackendPreference) => void;
  setModelId: (id: string) => void;
  setLoadProgress: (p: LoadProgress | null) => void;
}

export const useUiStore = create<UiStore>((set) => ({
  backendPreference: 'auto',
  modelId: null,
  loadProgress: null,
  setBackendPreference: (backendPreference) => set({ backendPreference }),
  setModelId: (modelId) => set({ modelId }),
  setLoadProgress: (loadProgress) => set({ loadProgress }),
}));
