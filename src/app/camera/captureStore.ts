// The captures taken in this page: their file names (the batch finds them by name) and when each
// was taken, so the latest verdict and the capture-to-verdict time can be shown.
import { create } from 'zustand';

export interface Capture {
  name: string;
  /** performance.now() when the frame was taken */
  takenAt: number;
  /** ms from the frame to its first verdict; null until it has one */
  verdictAfterMs: number | null;
}

interface CaptureStore {
  captures: Capture[];
  add: (capture: Capture) => void;
  settle: (name: string, ms: number) => void;
}

export const useCaptureStore = create<CaptureStore>()((set) => ({
  captures: [],
  add: (capture) => set((s) => ({ captures: [...s.captures, capture] })),
  settle: (name, ms) =>
    set((s) => ({
      captures: s.captures.map((c) =>
        c.name === name && c.verdictAfterMs === null ? { ...c, verdictAfterMs: ms } : c,
      ),
    })),
}));

/** The next free `capture-<n>.png`: unique in the batch, also after a reload brought captures back. */
export function nextCaptureName(existing: readonly string[]): string {
  let top = 0;
  for (const name of existing) {
    const n = /^capture-(\d+)\.png$/.exec(name)?.[1];
    if (n) top = Math.max(top, Number(n));
  }
  return `capture-${top + 1}.png`;
}
