// The current batch and the state of its run. Saved to IndexedDB whenever images or results
// change, so a reload brings the batch back until the user clears it.
import { create } from 'zustand';
import type { RunProgress } from '../../worker/protocol.ts';
import type { BatchRecord } from './types.ts';

export type RunPhase = 'idle' | 'loading-model' | 'encoding' | 'scoring' | 'done' | 'error' | 'cancelled';

export interface RunError {
  code: string;
  message: string;
}

export interface RunState {
  phase: RunPhase;
  progress: RunProgress | null;
  /** when the current stage began (ms, performance.now()), for the ETA */
  stageStartedAt: number;
  /** progress.done when the stage began: cached work is not counted into the rate */
  stageStartDone: number;
  /** seconds left in the current stage at its rate so far; null until there is a rate */
  etaSeconds: number | null;
  error: RunError | null;
  /** the intake is decoding and hashing dropped files */
  checkingFiles: boolean;
}

export interface BatchStore extends BatchRecord {
  run: RunState;
  /** true once the saved batch (if any) has been read back */
  restored: boolean;
}

export const IDLE_RUN: RunState = {
  phase: 'idle',
  progress: null,
  stageStartedAt: 0,
  stageStartDone: 0,
  etaSeconds: null,
  error: null,
  checkingFiles: false,
};

export const useBatchStore = create<BatchStore>(() => ({
  images: [],
  skipped: [],
  scores: null,
  scoredWith: null,
  evaluation: null,
  run: IDLE_RUN,
  restored: false,
}));

export function setRun(patch: Partial<RunState>): void {
  useBatchStore.setState((s) => ({ run: { ...s.run, ...patch } }));
}

function eta(progress: RunProgress, startedAt: number, startDone: number, now: number): number | null {
  const doneInStage = progress.done - startDone;
  const elapsed = (now - startedAt) / 1000;
  if (progress.total <= 0 || doneInStage <= 0 || elapsed < 0.5) return null;
  return ((progress.total - progress.done) * elapsed) / doneInStage;
}

/** Progress with the stage clock restarted whenever the stage changes, and the ETA. */
export function reportProgress(progress: RunProgress, phase: RunPhase): void {
  const now = performance.now();
  useBatchStore.setState((s) => {
    const sameStage = s.run.progress?.stage === progress.stage;
    const stageStartedAt = sameStage ? s.run.stageStartedAt : now;
    const stageStartDone = sameStage ? s.run.stageStartDone : progress.done;
    return {
      run: {
        ...s.run,
        phase,
        progress,
        stageStartedAt,
        stageStartDone,
        etaSeconds: eta(progress, stageStartedAt, stageStartDone, now),
      },
    };
  });
}

export function isBusy(phase: RunPhase): boolean {
  return phase === 'loading-model' || phase === 'encoding' || phase === 'scoring';
}
