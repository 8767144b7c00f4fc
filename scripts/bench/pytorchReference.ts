// The reference's own MSM loop in PyTorch (scripts/bench/reference_msm.py), run beside our
// backends so the comparison is made on the same machine in the same run. Skipped, with the
// reason printed, where python3 has no torch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchRecord } from './cases.ts';

export const PYTORCH_BACKEND = 'pytorch-reference';
const script = fileURLToPath(new URL('./reference_msm.py', import.meta.url));
// Debian's python3-torch installs for the system python, which a pyenv on the PATH may shadow.
const python = process.env.MUSCOPE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export function runPytorchMsm(
  shape: { images: number; grid: number; dim: number },
  emit: (r: BenchRecord) => void,
): void {
  const args = [script, '--images', String(shape.images), '--grid', String(shape.grid), '--dim', String(shape.dim)];
  const run = spawnSync(python, args, { encoding: 'utf8' });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status === 0 && line.startsWith('{')) return emit(JSON.parse(line) as BenchRecord);
  const why = /No module named 'torch'/.test(run.stderr)
    ? `${python} has no torch (apt-get install python3-torch)`
    : (run.stderr || run.error?.message || 'failed').trim().split('\n').pop();
  emit({ case: 'msm', backend: PYTORCH_BACKEND, ...shape, skipped: why ?? 'failed' });
}
