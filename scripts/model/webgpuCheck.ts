// The install's WebGPU-vs-WASM check (docs/architecture-platform.md §3: quantized WebGPU paths have given
// silently wrong output): every variant a manifest offers to WebGPU runs the probe input on
// WebGPU and on WASM with the app's session code, in headless Chromium (webgpuCheck/page.ts) or,
// for what Chromium's adapter cannot run (fp16 without shader-f16) or without Chromium, in Node
// on Dawn (webgpuCheck/node.ts). The figure goes into the manifest, and a variant that disagrees
// stops being offered on WebGPU. With no adapter at all the check is left for a later install,
// and said so; the app checks again on the user's own adapter either way (src/encoders/web/ortWeb.ts).
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { build, defaultClientConditions } from 'vite';
import type { ModelManifest, ModelVariant } from '../../src/encoders/manifest.ts';
import { chromiumPath, launchChromium } from '../../tooling/browser/chromium.ts';
import { ortDir, repoRoot } from '../files/paths.ts';
import { recordCheck, referenceFor } from './webgpuCheckRecord.ts';
import type { Checker, CheckRequest } from './webgpuCheck/compare.ts';
import { nodeChecker } from './webgpuCheck/node.ts';

const ORIGIN = 'http://localhost:41999'; // answered by request interception: nothing listens there
const BUNDLE_DIR = resolve(repoRoot, 'out/webgpu-check');
const BUNDLE = 'check.js';
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

async function bundlePage(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    publicDir: false,
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
    build: {
      outDir: BUNDLE_DIR,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: resolve(repoRoot, 'scripts/model/webgpuCheck/page.ts'), formats: ['es'], fileName: () => BUNDLE },
    },
  });
}

/** Serves the page, onnxruntime's runtime and the models from disk on ORIGIN. */
async function openPage(page: Page, modelsDir: string): Promise<void> {
  const roots: Record<string, string> = { '/ort/': ortDir, '/models/': modelsDir, '/': BUNDLE_DIR };
  await page.context().route(`${ORIGIN}/**`, async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    if (path === '/')
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><meta charset="utf-8"><script type="module" src="/${BUNDLE}"></script>`,
      });
    const [prefix, dir] = Object.entries(roots).find(([p]) => path.startsWith(p)) ?? ['/', BUNDLE_DIR];
    const file = resolve(dir, path.slice(prefix.length));
    if (!file.startsWith(dir) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({
      contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      body: await readFile(file),
    });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => globalThis.muscopeInstallCheck !== undefined);
}

async function installedManifests(modelsDir: string): Promise<Array<{ path: string; manifest: ModelManifest }>> {
  const ids = (await readdir(modelsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const paths = ids.map((id) => join(modelsDir, id, 'manifest.json')).filter((p) => existsSync(p));
  return Promise.all(
    paths.map(async (path) => ({ path, manifest: JSON.parse(await readFile(path, 'utf8')) as ModelManifest })),
  );
}

/** Offered to WebGPU with no figure yet: never checked, or not run for want of an adapter feature (retried each install). */
const unchecked = (v: ModelVariant): boolean =>
  v.backends.includes('webgpu') && (!v.webgpuCheck || 'notRun' in v.webgpuCheck);

type Opened = Checker | { unavailable: string };

async function chromiumChecker(modelsDir: string): Promise<Opened> {
  if (!existsSync(chromiumPath))
    return { unavailable: `no Chromium at ${chromiumPath} (apt-get install chromium, then npm install again)` };
  await bundlePage();
  const browser = await launchChromium('webgpu');
  const page = await browser.newPage();
  await openPage(page, modelsDir);
  const adapter = await page.evaluate(() => globalThis.muscopeInstallCheck!.adapter());
  if (!adapter) {
    await browser.close();
    return { unavailable: 'Chromium found no WebGPU adapter' };
  }
  return {
    adapter,
    check: (request) => page.evaluate((r) => globalThis.muscopeInstallCheck!.check(r), request),
    close: () => browser.close(),
  };
}

/** Opens a checker on first use only: Chromium takes seconds to start, and Dawn patches this process. */
function onFirstUse(open: () => Promise<Opened>): { get(): Promise<Opened>; close(): Promise<void> } {
  let opened: Promise<Opened> | undefined;
  return {
    get: () => (opened ??= open()),
    async close() {
      const checker = await opened;
      if (checker && !('unavailable' in checker)) await checker.close?.();
    },
  };
}

/** The first checker whose adapter runs the variant, or why none does and whether any adapter was found. */
async function checkerFor(
  variant: ModelVariant,
  sources: ReadonlyArray<{ get(): Promise<Opened> }>,
): Promise<Checker | { reasons: string[]; anyAdapter: boolean }> {
  const reasons: string[] = [];
  let anyAdapter = false;
  for (const source of sources) {
    const found = await source.get();
    if ('unavailable' in found) {
      reasons.push(found.unavailable);
      continue;
    }
    anyAdapter = true;
    if (!variant.requiresFeature || found.adapter.shaderF16) return found;
    reasons.push(`the adapter (${found.adapter.description}) has no ${variant.requiresFeature}`);
  }
  return { reasons, anyAdapter };
}

/** Checks every unchecked WebGPU variant of the models in `modelsDir` (public/models by default). */
export async function checkWebGpuVariants(modelsDir: string, log: (line: string) => void): Promise<void> {
  const models = (await installedManifests(modelsDir)).filter(({ manifest }) => manifest.variants.some(unchecked));
  if (models.length === 0) return;
  // Chromium first, as the app runs; Dawn in Node for what Chromium's adapter cannot run.
  const sources = [onFirstUse(() => chromiumChecker(modelsDir)), onFirstUse(() => nodeChecker(modelsDir))];
  try {
    for (const { path, manifest } of models) {
      const checkedAt = new Date().toISOString();
      const variants: ModelVariant[] = [];
      for (const variant of manifest.variants) {
        const reference = referenceFor(manifest, variant);
        if (!unchecked(variant) || !reference) {
          variants.push(variant);
          continue;
        }
        const checker = await checkerFor(variant, sources);
        if ('reasons' in checker) {
          // No adapter at all: left unchecked for a later install. Adapters without the feature: recorded as not run.
          const why = checker.reasons.join('; ');
          variants.push(checker.anyAdapter ? recordCheck(variant, { notRun: why, checkedAt }) : variant);
          log(
            `${manifest.id} ${variant.dtype}: WebGPU-vs-WASM check ${checker.anyAdapter ? 'not run' : 'skipped'}: ${why}. The app still checks on each user's GPU.`,
          );
          continue;
        }
        const request: CheckRequest = {
          input: manifest.input,
          gpu: { url: `/models/${manifest.id}/${variant.file}`, dtype: variant.dtype },
          cpu: { url: `/models/${manifest.id}/${reference.file}`, dtype: reference.dtype },
        };
        const figures = await checker.check(request);
        const agrees = figures.maxRelative !== null && figures.maxRelative <= figures.tolerance;
        variants.push(
          recordCheck(variant, {
            ...figures,
            agrees,
            against: reference.dtype,
            adapter: checker.adapter.description,
            checkedAt,
          }),
        );
        log(
          `${manifest.id} ${variant.dtype} on WebGPU (${checker.adapter.description}) vs ${reference.dtype} on WASM: ${figures.maxRelative?.toExponential(2) ?? 'NaN'}${agrees ? '' : ' — disagrees, no longer offered on WebGPU'}`,
        );
      }
      await writeFile(path, `${JSON.stringify({ ...manifest, variants }, null, 2)}\n`);
    }
  } finally {
    for (const source of sources) await source.close();
  }
}
