// UI state: what the user chose (scoring settings, how results are shown) and what is selected.
// The choices are remembered across visits (localStorage); the batch and its results live in
// batch/batchStore.ts (IndexedDB).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ColormapName } from '../engine/colormaps.ts';
import type { MapNormalization } from './heatmap/maps.ts';
import type { BackendPreference, LoadProgress, ScoreSettings } from '../worker/protocol.ts';

/** Scoring settings other than model and backend; model-dependent ones are null = the model's default. */
export type MuscSettings = Omit<ScoreSettings, 'modelId' | 'backend' | 'taps' | 'inputSize'> & {
  /** null: every tap of the model */
  taps: string[] | null;
  /** null: the model's input size */
  inputSize: number | null;
};

export const DEFAULT_MUSC_SETTINGS: MuscSettings = {
  variant: null,
  inputSize: null,
  grid: null,
  taps: null,
  rList: [1, 3, 5],
  interval: [0, 0.3],
  kList: [1, 2, 3],
  forceSmallBatch: false,
  alignedTolerance: null,
  candidates: null,
};

export interface ViewSettings {
  colormap: ColormapName;
  opacity: number;
  normalization: MapNormalization;
  showOutline: boolean;
}

interface UiStore {
  backendPreference: BackendPreference;
  modelId: string | null;
  loadProgress: LoadProgress | null;
  settings: MuscSettings;
  view: ViewSettings;
  /** null: the automatic rule */
  manualThreshold: number | null;
  /** key of the image shown in the detail view, null when the gallery is shown */
  openKey: string | null;
  /** key of the focused gallery card */
  focusedKey: string | null;
  settingsOpen: boolean;
  setBackendPreference: (b: BackendPreference) => void;
  setModelId: (id: string) => void;
  setLoadProgress: (p: LoadProgress | null) => void;
  updateSettings: (patch: Partial<MuscSettings>) => void;
  updateView: (patch: Partial<ViewSettings>) => void;
  setManualThreshold: (t: number | null) => void;
  openImage: (key: string | null) => void;
  focusImage: (key: string | null) => void;
  setSettingsOpen: (open: boolean) => void;
}

/** localStorage key of the remembered choices: backend, model, scoring and view settings. */
export const PREFERENCES_KEY = 'muscope-preferences';

export const useUiStore = create<UiStore>()(
  persist(
    (set) => ({
      backendPreference: 'auto',
      modelId: null,
      loadProgress: null,
      settings: DEFAULT_MUSC_SETTINGS,
      view: { colormap: 'jet', opacity: 0.5, normalization: 'batch', showOutline: true },
      manualThreshold: null,
      openKey: null,
      focusedKey: null,
      settingsOpen: false,
      setBackendPreference: (backendPreference) => set({ backendPreference }),
      // Model-dependent settings go back to the new model's defaults.
      setModelId: (modelId) =>
        set((s) =>
          s.modelId === modelId
            ? {}
            : { modelId, settings: { ...s.settings, variant: null, inputSize: null, grid: null, taps: null } },
        ),
      setLoadProgress: (loadProgress) => set({ loadProgress }),
      updateSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
      updateView: (patch) => set((s) => ({ view: { ...s.view, ...patch } })),
      setManualThreshold: (manualThreshold) => set({ manualThreshold }),
      openImage: (openKey) => set((s) => ({ openKey, focusedKey: openKey ?? s.focusedKey })),
      focusImage: (focusedKey) => set({ focusedKey }),
      setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
    }),
    {
      name: PREFERENCES_KEY,
      // "Score anyway" is a decision about one small batch, not a preference to carry over.
      partialize: ({ backendPreference, modelId, settings, view }) => ({
        backendPreference,
        modelId,
        settings: { ...settings, forceSmallBatch: false },
        view,
      }),
    },
  ),
);
