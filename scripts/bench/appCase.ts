// Browser end to end (`--case app`): what an inspector waits for. The built app in Debian's
// Chromium with the backend's Playwright project flags (or, with --browser firefox, Debian's
// Firefox ESR on WASM as the 'firefox' project runs it), default model and settings; once the
// model is loaded and idle, the MVTec test images are dropped on it and timed in the page from the
// drop until the status says 'done' (results shown). The app's own states split that time:
// intake (reading and checking the files) up to 'encoding', encoding up to 'scoring' (the first
// mutual-scoring progress, so LNAMD counts as encoding), then scoring up to 'done'. The browser's
// memory (PSS over its processes, browserMemory.ts) is read once the model is loaded and at its
// peak from the drop to the results.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { BenchBackend } from '../../tooling/browser/harness/protocol.ts';
import { dropFiles, rememberWasmBackend, testImages, type TestImage } from '../../tooling/browser/pages/appPage.ts';
import { launchChromium } from '../../tooling/browser/chromium.ts';
import { launchFirefox } from '../../tooling/browser/firefox.ts';
import { openSettings } from '../../tooling/browser/pages/models.ts';
import { backendLabel, ensurePreview, origin } from './browser.ts';
import { browserPssBytes, watchBrowserMemory } from './browserMemory.ts';
import type { BenchRecord } from './cases.ts';

export interface AppCaseOptions {
  /** the first N test images, sorted by path; 0: all of them */
  images: number;
  backends: BenchBackend[];
  /** extra Chromium flags, after the Playwright project's */
  browserArgs: string[];
  browserName: AppBrowser;
  /** Settings → Candidate images, chosen before the drop; null keeps the default (exact) */
  candidates: number | null;
  /** the MVTec category folder (holding test/) */
  dataset: string;
  emit: (record: BenchRecord) => void;
}

export type AppBrowser = 'chromium' | 'firefox';
export const APP_BROWSERS: readonly AppBrowser[] = ['chromium', 'firefox'];

/** Fewer are refused by the app unless forced, which is not its default setting. */
const MIN_IMAGES = 5;
/** The default model (ResNet50-v2 trunk) encodes about one image per 25 s on SwiftShader. */
const SWIFTSHADER_MS_PER_IMAGE = 25_000;
/** On WebGPU loading includes the check against WASM on the probe image, slow on SwiftShader. */
const LOAD_LIMIT_MS = 600_000;
/** A stuck run fails after this instead of holding the bench forever. */
const RUN_LIMIT_MS = 3_600_000;

interface StateChange {
  state: string;
  /** the page's performance.now() */
  at: number;
}

interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
}

/** The adapter this page's WebGPU gets: the same one the app's worker gets, with the same flags. */
async function webgpuAdapter(page: Page): Promise<AdapterInfo | null> {
  return page.evaluate(async () => {
    const info = (await navigator.gpu?.requestAdapter())?.info;
    return info ? { vendor: info.vendor, architecture: info.architecture, description: info.description } : null;
  });
}

async function waitUntilLoaded(page: Page): Promise<void> {
  const status = page.locator('[data-testid="status"]:is([data-state="idle"], [data-state="error"])');
  await status.waitFor({ timeout: LOAD_LIMIT_MS });
  if ((await status.getAttribute('data-state')) === 'error')
    throw new Error(`the app did not load its model: ${await page.getByTestId('error').textContent()}`);
}

/** Drops the images and resolves with the drop time and each state the status took until 'done'. */
async function timeRun(page: Page, images: TestImage[]): Promise<{ droppedAt: number; changes: StateChange[] }> {
  // Watched in the page, installed before the drop: polling from Node would add its own latency.
  const watching = await page.getByTestId('status').evaluateHandle((status, limitMs) => {
    const changes: StateChange[] = [];
    const finished = new Promise<StateChange[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no result within ${limitMs / 1000} s; state ${status.getAttribute('data-state')}`)),
        limitMs,
      );
      const observer = new MutationObserver(() => {
        const state = status.getAttribute('data-state') ?? '';
        if (state === changes.at(-1)?.state) return;
        changes.push({ state, at: performance.now() });
        if (state !== 'done' && state !== 'error') return;
        observer.disconnect();
        clearTimeout(timer);
        if (state === 'done') resolve(changes);
        else reject(new Error(`the run failed: ${document.querySelector('[data-testid="error"]')?.textContent}`));
      });
      observer.observe(status, { attributes: true, attributeFilter: ['data-state'] });
    });
    return { finished };
  }, RUN_LIMIT_MS);
  const droppedAt = await dropFiles(page, images);
  return { droppedAt, changes: await watching.evaluate((w) => w.finished) };
}

/** Total and per-stage milliseconds from the drop (the last change is 'done'); a stage the status never showed leaves the split out. */
function timings(droppedAt: number, changes: StateChange[], images: number): BenchRecord {
  const at = (state: string) => changes.find((c) => c.state === state)?.at;
  const encoding = at('encoding');
  const scoring = at('scoring');
  const done = changes[changes.length - 1].at;
  const ms = done - droppedAt;
  return {
    ms: Math.round(ms),
    ms_per_image: +(ms / images).toFixed(1),
    ...(encoding !== undefined &&
      scoring !== undefined && {
        intake_ms: Math.round(encoding - droppedAt),
        encoding_ms: Math.round(scoring - encoding),
        scoring_ms: Math.round(done - scoring),
      }),
  };
}

async function measure(
  browser: Browser,
  backend: BenchBackend,
  images: TestImage[],
  all: number,
  candidates: number | null,
): Promise<BenchRecord> {
  const page = await browser.newPage();
  // Pinned, so a Chromium that offers WebGPU by default still measures WASM.
  if (backend === 'wasm') await rememberWasmBackend(page);
  await page.goto(`${origin}/`);
  const adapter = backend === 'webgpu' ? await webgpuAdapter(page) : null;
  const common: BenchRecord = {
    case: 'app',
    backend: backendLabel(backend, adapter?.architecture),
    images: images.length,
    ...(candidates !== null && { method: `candidates:${candidates}` }),
    browser: `${browser.browserType().name()} ${browser.version()}`,
    ...(adapter && { adapter: `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.trim() }),
  };
  // Decided before loading: on SwiftShader the load alone (with its check) takes minutes.
  if (common.backend === 'webgpu-swiftshader' && images.length === all) {
    return {
      ...common,
      skipped: `SwiftShader encodes about one image per ${SWIFTSHADER_MS_PER_IMAGE / 1000} s with the default model (scoring not counted); --images N with N < ${all} runs it`,
      estimated_ms: images.length * SWIFTSHADER_MS_PER_IMAGE,
    };
  }
  await waitUntilLoaded(page);
  const model = (await page.getByTestId('model').textContent()) ?? '';
  const runsOn = await page.getByTestId('backend').textContent();
  if (runsOn !== backend) return { ...common, model, skipped: `the app chose ${runsOn} instead of ${backend}` };
  const idleMb = Math.round(browserPssBytes() / 2 ** 20);
  const memory = watchBrowserMemory();
  let peakMb = 0;
  if (candidates !== null) {
    await openSettings(page);
    await page.getByTestId('candidate-images').selectOption(String(candidates));
    await page.getByTestId('settings-toggle').click();
  }
  const { droppedAt, changes } = await timeRun(page, images).finally(() => (peakMb = memory.stop()));
  const scored = await page.getByTestId('result').count();
  if (scored !== images.length) throw new Error(`the app shows ${scored} results for ${images.length} dropped images`);
  return {
    ...common,
    model,
    ...timings(droppedAt, changes, images.length),
    idle_browser_pss_mb: idleMb,
    peak_browser_pss_mb: peakMb,
  };
}

export async function runAppCase({
  images,
  backends,
  browserArgs,
  browserName,
  candidates,
  dataset,
  emit,
}: AppCaseOptions): Promise<void> {
  if (images !== 0 && images < MIN_IMAGES)
    throw new Error(`--case app needs --images ${MIN_IMAGES} or more; the app refuses smaller batches by default`);
  if (browserName === 'firefox' && backends.some((b) => b !== 'wasm'))
    throw new Error('--browser firefox runs the wasm backend only: Firefox ESR offers no WebGPU here');
  if (!existsSync(join(dataset, 'test'))) {
    for (const backend of backends)
      emit({ case: 'app', backend, skipped: `${dataset}: no test/ folder (MVTec layout)` });
    return;
  }
  const all = testImages(dataset);
  const chosen = images === 0 ? all : all.slice(0, images);
  const server = await ensurePreview();
  try {
    for (const backend of backends) {
      const browser = browserName === 'firefox' ? await launchFirefox() : await launchChromium(backend, browserArgs);
      try {
        emit(await measure(browser, backend, chosen, all.length, candidates));
      } finally {
        await browser.close();
      }
    }
  } finally {
    server?.kill();
  }
}
