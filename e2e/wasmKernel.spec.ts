// The WebAssembly SIMD MSM kernel on its worker pool (src/worker/msmPool.ts) in real Chromium, as
// the page's WASM path runs it: a scoring session on the pool's feature slots on every golden file
// of the reference (fed in pieces, engine golden/goldenSession.ts), and a session on the pool's
// slots against the same session on the in-page kernel. Firefox runs it too: its pool once failed
// to start there.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { buildHarness } from '../tooling/browser/harness/build.ts';
import { openHarness } from '../tooling/browser/harness/serve.ts';

const goldenDir =
  process.env.MUSCOPE_GOLDEN_DIR ?? resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/golden');
const files = readdirSync(goldenDir)
  .filter((f) => f.startsWith('pipeline-') && f.endsWith('.json'))
  .sort();

test.describe('WASM MSM worker pool', () => {
  test.beforeAll(async () => {
    test.skip(
      test.info().project.metadata.backend !== 'wasm',
      'the CPU path is checked where the page runs on WASM: Chromium and Firefox',
    );
    await buildHarness();
  });

  test.beforeEach(async ({ page, baseURL }) => {
    await openHarness(page, baseURL!);
  });

  for (const file of files) {
    test(`${file}: a scoring session on the pool’s feature slots matches the reference`, async ({ page }) => {
      const json = readFileSync(resolve(goldenDir, file), 'utf8');
      const report = await page.evaluate((r) => globalThis.muscopeHarness!.goldenOnPoolSlots(r), { json });
      console.log(
        `${file}: ${report.threads} threads, pairs answered ${report.pairsAnswered.join('/')}, ` +
          report.deviations.map((d) => `${d.output} ${d.worst.toExponential(2)}`).join(', '),
      );
      expect(report.threads).toBeGreaterThanOrEqual(1);
      // the session's pairs ran on the pool: every thread answered its pairs requests
      expect(report.pairsAnswered).toHaveLength(report.threads);
      for (const answered of report.pairsAnswered) expect(answered).toBeGreaterThan(0);
      expect(report.deviations.length).toBeGreaterThan(0);
      for (const d of report.deviations) expect.soft(d.worst, `${file} ${d.output}`).toBeLessThanOrEqual(d.tolerance);
    });
  }

  test('a scoring session on the pool’s feature slots matches the in-page kernel, on every thread', async ({
    page,
  }) => {
    const threads = 3; // uneven splits of the partners, and more threads than this machine may have cores
    const report = await page.evaluate((r) => globalThis.muscopeHarness!.sessionPool(r), { threads, seed: 7 });
    console.log(
      `session on the pool: ${report.threads} threads, pairs answered ${report.pairsAnswered.join('/')}, ` +
        `${report.images} images, ${report.compared} patch scores compared, worst ${report.worst.toExponential(2)}; ` +
        `bad put: ${report.badPut}`,
    );
    expect(report.threads).toBe(threads);
    expect(report.pairsAnswered).toHaveLength(threads);
    for (const answered of report.pairsAnswered) expect(answered).toBeGreaterThan(0);
    expect(report.images).toBe(13);
    expect(report.compared).toBeGreaterThan(0);
    expect(report.worst).toBeLessThanOrEqual(1e-6);
    expect(report.badPut).toMatch(/writing slot 1 failed/);
  });
});
