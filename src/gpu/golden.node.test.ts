// src/gpu on Dawn in Node against the reference's golden vectors: the f32 storage on the golden
// tolerances, and the f16 storage used on adapters with 'shader-f16', which Chromium's SwiftShader
// (the e2e adapter) lacks and Mesa's lavapipe has.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGoldenCase } from '../engine/golden/checkGolden.ts';
import { GOLDEN_TOLERANCE } from '../engine/golden/tolerance.ts';
import { parseGoldenCase } from '../engine/golden/goldenCase.ts';
import { F16_STORAGE_TOLERANCE } from './index.ts';
import { noF16, nodeDevice, unavailable } from './nodeDevice.testing.ts';

const goldenDir = process.env.MUSCOPE_GOLDEN_DIR ?? resolve(import.meta.dirname, '../../../shared/golden');
const CASES = ['min-n', 'small', 'visa-k', 'vitlike'];

describe.skipIf(unavailable !== null)(`src/gpu on Dawn (${unavailable ?? 'adapter found'})`, async () => {
  const { createWebGpuMusc } = await import('./index.ts');

  for (const storage of ['f32', 'f16'] as const) {
    const tolerance = storage === 'f32' ? GOLDEN_TOLERANCE : F16_STORAGE_TOLERANCE;
    it.skipIf(storage === 'f16' && noF16 !== null)(`${storage} storage reproduces the golden pipelines`, async () => {
      const musc = createWebGpuMusc(nodeDevice(), { storage });
      for (const name of CASES) {
        const golden = parseGoldenCase(JSON.parse(readFileSync(resolve(goldenDir, `pipeline-${name}.json`), 'utf8')));
        for (const { output, worst } of await checkGoldenCase(golden, { scoreFeatureSet: musc.scoreFeatureSet })) {
          const limit = output.endsWith('metrics') ? tolerance.pipelineMetrics : tolerance.scores;
          expect.soft(worst, `${name} ${output}`).toBeLessThanOrEqual(limit);
        }
      }
    });
  }
});
