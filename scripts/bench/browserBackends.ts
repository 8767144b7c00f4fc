// Browser backends of `npm run bench` (case msm): the engine's MSM on onnxruntime-web WASM and
// src/gpu on WebGPU, each in Debian's Chromium driven by Playwright against `vite preview` (an
// already running one on the port, or one started here from dist/). Emits one record per backend.
// On SwiftShader the WebGPU line is labelled webgpu-swiftshader: software, never a GPU speed.

import type { Browser } from '@playwright/test';
import { buildHarness } from '../../tooling/browser/harness/build.ts';
import type { BenchBackend, BenchRequest, BenchResult } from '../../tooling/browser/harness/protocol.ts';
import { openHarness } from '../../tooling/browser/harness/serve.ts';
import { launchChromium } from '../../tooling/browser/chromium.ts';
import { backendLabel, ensurePreview, origin } from './browser.ts';
import {
  adapterText,
  measurementFields,
  REPEAT_BUDGET_MS,
  REPEATS,
  SOFTWARE_WEBGPU_CAP_MS,
  type BenchRecord,
} from './cases.ts';

export const BROWSER_BACKENDS: readonly BenchBackend[] = ['wasm', 'webgpu'];
export const isBrowserBackend = (name: string): name is BenchBackend =>
  (BROWSER_BACKENDS as readonly string[]).includes(name);

export interface BrowserMsmOptions {
  images: number;
  grid: number;
  dim: number;
  backends: BenchBackend[];
  /** extra Chromium flags, after the Playwright project's (a later duplicate switch wins) */
  browserArgs: string[];
  emit: (record: BenchRecord) => void;
}

const WASM_THREADS = 2;

function record(backend: BenchBackend, options: BrowserMsmOptions, result: BenchResult, browser: Browser): BenchRecord {
  const { images, grid, dim } = options;
  const common: BenchRecord = {
    case: 'msm',
    backend: backendLabel(backend, result.adapter?.architecture),
    images,
    grid,
    dim,
    browser: `chromium ${browser.version()}`,
  };
  if (result.adapter) common.adapter = adapterText(result.adapter);
  const measured = { ...common, ...measurementFields(result, images, grid, dim) };
  if (!result.measured) return measured;
  return {
    ...measured,
    crossOriginIsolated: result.crossOriginIsolated,
    ...(backend === 'wasm' && { threads: result.threads }),
    ...(result.gpuPeakBufferBytes !== undefined && {
      gpu_buffer_mb: +(result.gpuPeakBufferBytes / 2 ** 20).toFixed(1),
    }),
  };
}

export async function runBrowserMsm(options: BrowserMsmOptions): Promise<void> {
  const server = await ensurePreview();
  try {
    await buildHarness();
    for (const backend of options.backends) {
      const browser = await launchChromium(backend, options.browserArgs);
      try {
        const page = await browser.newPage();
        await openHarness(page, origin);
        // Only software WebGPU is capped: a real GPU (--browser-args) runs the case whatever it takes.
        const software =
          backend === 'webgpu' &&
          (await page.evaluate(() => globalThis.muscopeHarness!.adapter())).architecture === 'swiftshader';
        const request: BenchRequest = {
          backend,
          images: options.images,
          grid: options.grid,
          dim: options.dim,
          runs: REPEATS,
          repeatBudgetMs: REPEAT_BUDGET_MS,
          ...(software && { skipAboveMs: SOFTWARE_WEBGPU_CAP_MS }),
          threads: WASM_THREADS,
        };
        const result = await page.evaluate((r) => globalThis.muscopeHarness!.benchMsm(r), request);
        options.emit(record(backend, options, result, browser));
      } finally {
        await browser.close();
      }
    }
  } finally {
    server?.kill();
  }
}
