import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { nearestRowsScorer } from '../kernels/nearestRows.ts';
import { createOrtMatmulKernel } from '../kernels/ortKernel.ts';
import { tsKernel } from '../kernels/tsKernel.ts';
import { checkGoldenCase } from './checkGolden.ts';
import type { MsmEngine } from '../types.ts';
import { parseGoldenCase } from './goldenCase.ts';

const shared = process.env.MUSCOPE_SHARED ?? resolve(import.meta.dirname, '../../../../shared');
const goldenDir = join(shared, 'golden');
const files = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden vectors of the reference', () => {
  it('are present', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  const engines: [string, MsmEngine][] = [
    ['ts', { similarity: tsKernel }],
    ['ort', { similarity: createOrtMatmulKernel(ort, { intraOpNumThreads: 1 }) }],
    ['wasm-simd', { scoreFeatureSet: nearestRowsScorer }],
  ];
  describe.each(engines)('with the %s kernel', (_, engine) => {
    it.each(files)('%s', async (file) => {
      const golden = parseGoldenCase(JSON.parse(readFileSync(join(goldenDir, file), 'utf8')));
      for (const d of await checkGoldenCase(golden, engine)) {
        expect(d.worst, `${file} ${d.output}`).toBeLessThanOrEqual(d.tolerance);
      }
    });
  });
});
