// What the page shows about videos: the rate chosen for the next one, the sampling under way,
// and notes on what was done (a rate lowered to stay within MAX_FRAMES). The rate is remembered.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { DEFAULT_FRAME_RATE } from './videoFiles.ts';

export interface SamplingProgress {
  name: string;
  done: number;
  total: number;
}

interface VideoStore {
  /** frames per second sampled from the next video dropped */
  rate: number;
  sampling: SamplingProgress | null;
  /** by video name: a plain sentence on how it was sampled when that differs from the rate chosen */
  notes: Record<string, string>;
  setRate: (rate: number) => void;
}

export const useVideoStore = create<VideoStore>()(
  persist(
    (set) => ({
      rate: DEFAULT_FRAME_RATE,
      sampling: null,
      notes: {},
      setRate: (rate) => set({ rate }),
    }),
    { name: 'muscope-video', partialize: ({ rate }) => ({ rate }) },
  ),
);
