// What the user reads while a model loads: one wording for the status panel and the run's bar.
import type { LoadProgress } from '../../worker/protocol.ts';
import { formatBytes } from '../results/format.ts';

export function loadStageText(p: LoadProgress): string {
  switch (p.stage) {
    case 'download':
      return `Downloading the model… ${formatBytes(p.done)} of ${formatBytes(p.total)}`;
    case 'verify':
      return 'Verifying the model download…';
    case 'compile':
      return 'Compiling the model for this device…';
    case 'warmup':
      return 'Warming up the model…';
    case 'check':
      return 'Checking the model on this GPU against the CPU…';
  }
}
