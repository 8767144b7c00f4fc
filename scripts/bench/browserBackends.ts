// Browser backends of `npm run bench` (case msm): the engine's MSM on onnxruntime-web WASM and
// src/gpu on WebGPU, each in Debian's Chromium driven by Playwright against `vite preview` (an
// already running one on the port, or one started here from dist/). Emits one record per backend.
// On SwiftShader the WebGPU line is labelled webgpu-swiftshader: software, never a GPU speed.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import playwrightConfig from '../../playwright.config.ts';
import { buildHarness } from '../../e2e/harness/build.ts';
import type { BenchBackend, BenchRequest, BenchResult } from '../../e2e/harness/protocol.ts';
import { openHarness } from '../../e2e/harness/serve.ts';
import { msmFlops, REPEAT_BUDGET_MS, REPEATS, type BenchRecord } from './cases.ts';

export const BROWSER_BACKENDS: readonly BenchBackend[] = ['wasm', 'webgpu'];
export const isBrowserBackend = (name: string): name is BenchBackend => (BROWSER_BACKENDS as readonly string[]).includes(name);

export interface BrowserMsmOptions {
  images: number;
  grid: number;
  dim: number;
  backends: BenchBackend[];
  /** extra Chromium flags, after the Playwright project's (a later duplicate switch wins) */
  browserArgs: string[];
  emit: (record: BenchRecord) => void;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.MUSCOPE_BENCH_PORT ?? 4173);
const origin = `http://127.0.0.1:${port}`;
const chromiumPath = process.env.MUSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** SwiftShader is software: skip a case whose single run would take longer than this. */
const SWIFTSHADER_CAP_MS = 120_000;
const WASM_THREADS = 2;

/** Chromium flags of the Playwright project for this backend (playwright.config.ts is the one source). */
function projectArgs(backend: BenchBackend): string[] {
  const project = playwrightConfig.projects?.find((p) => p.name === backend);
  return project?.use?.launchOptions?.args ?? [];
}

async function reachable(): Promise<boolean> {
  try {
    return (await fetch(`${origin}/ort/ort-wasm-simd-threaded.asyncify.mjs`, { method: 'HEAD' })).ok;
  } catch {
    return false;
  }
}

/** Starts `vite preview` on dist/ unless a server already answers; returns the process it started. */
async function ensurePreview(): Promise<ChildProcess | null> {
  if (await reachable()) return null;
  if (!existsSync(`${repoRoot}dist/ort`)) throw new Error('dist/ has no onnxruntime files; run `npx vite build` first.');
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const server = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: repoRoot, stdio: 'ignore' });
  for (let waited = 0; waited < 30_000; waited += 250) {
    if (await reachable()) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill();
  throw new Error(`vite preview did not answer on ${origin} within 30 s`);
}

function record(backend: BenchBackend, options: BrowserMsmOptions, result: BenchResult, browser: Browser): BenchRecord {
  const { images, grid, dim } = options;
  const software = result.adapter?.architecture === 'swiftshader';
  const common: BenchRecord = {
    case: 'msm',
    backend: backend === 'webgpu' && software ? 'webgpu-swiftshader' : backend,
    images,
    grid,
    dim,
    browser: `chromium ${browser.version()}`,
  };
  if (result.adapter) common.adapter = `${result.adapter.vendor} ${result.adapter.architecture} ${result.adapter.description}`.trim();
  if (!result.measured) return { ...common, skipped: result.reason, estimated_ms: Math.round(result.estimatedMs) };
  return {
    ...common,
    ms: Math.round(result.ms),
    gflops_effective: +(msmFlops(images, grid, dim) / result.ms / 1e6).toFixed(2),
    runs: result.runs,
    crossOriginIsolated: result.crossOriginIsolated,
    ...(backend === 'wasm' && { threads: result.threads }),
    ...(result.gpuPeakBufferBytes !== undefined && { gpu_buffer_mb: +(result.gpuPeakBufferBytes / 2 ** 20).toFixed(1) }),
  };
}

export async function runBrowserMsm(options: BrowserMsmOptions): Promise<void> {
  const server = await ensurePreview();
  try {
    await buildHarness();
    for (const backend of options.backends) {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: [...projectArgs(backend), ...options.browserArgs] });
      try {
        const page = await browser.newPage();
        await openHarness(page, origin);
        // Only software WebGPU is capped: a real GPU (--browser-args) runs the case whatever it takes.
        const software = backend === 'webgpu' && (await page.evaluate(() => globalThis.muscopeHarness!.adapter())).architecture === 'swiftshader';
        const request: BenchRequest = {
          backend,
          images: options.images,
          grid: options.grid,
          dim: options.dim,
          runs: REPEATS,
          repeatBudgetMs: REPEAT_BUDGET_MS,
          ...(software && { skipAboveMs: SWIFTSHADER_CAP_MS }),
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
