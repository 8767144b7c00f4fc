// The reference's golden vectors fed to a scoring session in pieces (golden/goldenSession.ts):
// images added a few at a time in a shuffled order, two removed and added again. Every output
// must still match.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoldenCase, type PipelineGoldenCase } from '../golden/goldenCase.ts';
import { feedInPieces, sessionDeviations } from '../golden/goldenSession.ts';
import { nearestLayerSlots, nearestSlots } from '../kernels/nearestRows.ts';
import { tsKernel } from '../kernels/tsKernel.ts';
import { perDegree } from '../layerSlots.ts';
import { matmulSlots } from '../msm.ts';

const shared = process.env.MUSCOPE_SHARED ?? resolve(import.meta.dirname, '../../../../shared');
const goldenDir = join(shared, 'golden');
const cases = readdirSync(goldenDir)
  .filter((f) => f.startsWith('pipeline') && f.endsWith('.json'))
  .sort()
  .map((f) => parseGoldenCase(JSON.parse(readFileSync(join(goldenDir, f), 'utf8'))) as PipelineGoldenCase);

describe.each([
  ['ts', perDegree(matmulSlots(tsKernel))],
  ['wasm-simd, each degree apart', perDegree(nearestSlots)],
  ['wasm-simd, degrees from one product', nearestLayerSlots],
] as const)('golden vectors fed to a scoring session in pieces (%s kernel)', (_, slots) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const session = await feedInPieces(c, slots, c.config.images);
    try {
      for (const d of await sessionDeviations(c, session))
        expect(d.worst, `${c.name} ${d.output}`).toBeLessThanOrEqual(d.tolerance);
    } finally {
      session.close();
    }
  });
});
