// The WebGPU LNAMD and MSM (src/gpu) in real Chromium on SwiftShader, against the reference's
// golden vectors and the CPU engine, through the harness page (tooling/browser/harness/).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { GOLDEN_TOLERANCE } from '../src/engine/golden/tolerance.ts';
import { buildHarness } from '../tooling/browser/harness/build.ts';
import type { GoldenReport, GoldenRequest } from '../tooling/browser/harness/protocol.ts';
import { openHarness } from '../tooling/browser/harness/serve.ts';

const goldenDir =
  process.env.MUSCOPE_GOLDEN_DIR ?? resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/golden');
/** f32 unit rows: the GPU and the CPU engine differ by rounding only. */
const ROW_TOLERANCE = 1e-5;
const CASES = ['min-n', 'small', 'visa-k', 'vitlike'];

interface GoldenFile {
  json: string;
  images: number;
  /** bytes of three images' taps: small enough to force several feature chunks and table groups */
  smallBinding: number;
  /** what one binding would hold without a cap: the batch's features, its nearest-patch table */
  featureBytes: number;
  tableBytes: number;
}

function goldenFile(name: string): GoldenFile {
  const json = readFileSync(resolve(goldenDir, `pipeline-${name}.json`), 'utf8');
  const { images, grid, dim } = (JSON.parse(json) as { config: { images: number; grid: number; dim: number } }).config;
  const patches = grid * grid;
  return {
    json,
    images,
    smallBinding: 3 * (1 + patches) * dim * 4,
    featureBytes: images * patches * dim * 4,
    tableBytes: images * patches * (images - 1) * 4,
  };
}

const runGolden = (page: Page, request: GoldenRequest): Promise<GoldenReport> =>
  page.evaluate((r) => globalThis.muscopeHarness!.golden(r), request);

function expectWithinTolerance(report: GoldenReport): void {
  for (const s of report.sets) {
    const set = `${report.name} r=${s.r} layer=${s.layer}`;
    expect.soft(s.lnamdVsCpu, `${set}: GPU LNAMD rows vs CPU`).toBeLessThanOrEqual(ROW_TOLERANCE);
    expect.soft(s.gpuVsGolden, `${set}: GPU scores vs golden per_r_layer`).toBeLessThanOrEqual(GOLDEN_TOLERANCE.scores);
    expect.soft(s.gpuVsCpu, `${set}: GPU scores vs CPU engine`).toBeLessThanOrEqual(GOLDEN_TOLERANCE.scores);
    expect
      .soft(s.gpuMsmVsCpu, `${set}: GPU MSM on CPU rows vs CPU engine`)
      .toBeLessThanOrEqual(GOLDEN_TOLERANCE.scores);
  }
  const worst = (key: 'lnamdVsCpu' | 'gpuVsGolden' | 'gpuVsCpu' | 'gpuMsmVsCpu') =>
    Math.max(...report.sets.map((s) => s[key])).toExponential(2);
  console.log(
    `${report.name}: max |GPU−golden| ${worst('gpuVsGolden')}, |GPU−CPU| ${worst('gpuVsCpu')}, MSM-only ${worst('gpuMsmVsCpu')}, rows ${worst('lnamdVsCpu')}`,
  );
}

test.describe('WebGPU LNAMD and MSM', () => {
  test.beforeAll(async ({ browserName }, testInfo) => {
    test.skip(
      testInfo.project.name !== 'webgpu' || browserName !== 'chromium',
      'needs the SwiftShader WebGPU adapter, which only the webgpu project enables (the wasm project runs Chromium without WebGPU flags)',
    );
    await buildHarness();
  });

  test.beforeEach(async ({ page, baseURL }) => {
    await openHarness(page, baseURL!);
  });

  for (const name of CASES) {
    test(`${name}: scores match the golden per_r_layer and the CPU engine`, async ({ page }) => {
      const file = goldenFile(name);
      const report = await runGolden(page, { json: file.json });
      expectWithinTolerance(report);
      expect(report.pairsDone).toBe(report.pairsTotal);
      expect(report.pairsTotal).toBe((file.images * (file.images - 1)) / 2); // each unordered pair once
    });
  }

  for (const name of ['small', 'visa-k']) {
    test(`${name}: feature chunks and nearest-table groups give the same scores`, async ({ page }) => {
      const file = goldenFile(name);
      expect(file.smallBinding).toBeLessThan(Math.min(file.featureBytes, file.tableBytes)); // so both must split
      const report = await runGolden(page, { json: file.json, maxBindingBytes: file.smallBinding });
      expectWithinTolerance(report);
      // Pairs straddling two table groups run twice, yet progress counts each unordered pair once.
      expect(report.pairsDone).toBe(report.pairsTotal);
      expect(report.pairsTotal).toBe((file.images * (file.images - 1)) / 2);
    });
  }

  test('cancels between dispatches with the engine’s cancelled error', async ({ page }) => {
    const file = goldenFile('vitlike');
    const report = await page.evaluate((r) => globalThis.muscopeHarness!.cancel(r), {
      json: file.json,
      maxBindingBytes: file.smallBinding,
    });
    expect(report.error).toMatchObject({ name: 'MuscError', code: 'cancelled' });
    expect(report.progressCalls).toBe(1);
  });

  test('refuses features holding NaN like the CPU LNAMD', async ({ page }) => {
    expect(await page.evaluate(() => globalThis.muscopeHarness!.brokenFeatures())).toBe('invalid-input');
  });
});
