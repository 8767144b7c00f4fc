// The install's WebGPU-vs-WASM check (architecture.md §3: quantized WebGPU paths have given
// silently wrong output): every variant a manifest offers to WebGPU runs the probe input in
// headless Chromium on WebGPU and on WASM, with the app's session code (webgpuCheck/page.ts);
// the figure goes into the manifest, and a variant that disagrees stops being offered on WebGPU.
// Without Chromium or an adapter the check is left for a later install, and said so; the app
// checks again on the user's own adapter either way (src/encoders/web/ortWeb.ts).
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { build, defaultClientConditions } from 'vite';
import type { ModelManifest, ModelVariant } from '../../src/encoders/manifest.ts';
import { chromiumPath, launchChromium } from '../chromium.ts';
import { ortDir, repoRoot } from './paths.ts';
import { recordCheck, referenceFor } from './webgpuCheckRecord.ts';
import type { CheckFigures, CheckRequest } from './webgpuCheck/page.ts';

const ORIGIN = 'http://localhost:41999'; // answered by request interception: nothing listens there
const BUNDLE_DIR = resolve(repoRoot, 'out/webgpu-check');
const BUNDLE = 'check.js';
const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' };

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
      lib: { entry: resolve(repoRoot, 'scripts/install/webgpuCheck/page.ts'), formats: ['es'], fileName: () => BUNDLE },
    },
  });
}

/** Serves the page, onnxruntime's runtime and the models from disk on ORIGIN. */
async function openPage(page: Page, modelsDir: string): Promise<void> {
  const roots: Record<string, string> = { '/ort/': ortDir, '/models/': modelsDir, '/': BUNDLE_DIR };
  await page.context().route(`${ORIGIN}/**`, async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><script type="module" src="/${BUNDLE}"></script>` });
    const [prefix, dir] = Object.entries(roots).find(([p]) => path.startsWith(p)) ?? ['/', BUNDLE_DIR];
    const file = resolve(dir, path.slice(prefix.length));
    if (!file.startsWith(dir) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => globalThis.muscopeInstallCheck !== undefined);
}

async function installedManifests(modelsDir: string): Promise<Array<{ path: string; manifest: ModelManifest }>> {
  const ids = (await readdir(modelsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const paths = ids.map((id) => join(modelsDir, id, 'manifest.json')).filter((p) => existsSync(p));
  return Promise.all(paths.map(async (path) => ({ path, manifest: JSON.parse(await readFile(path, 'utf8')) as ModelManifest })));
}

const unchecked = (v: ModelVariant): boolean => v.backends.includes('webgpu') && !v.webgpuCheck;

/** Checks every unchecked WebGPU variant of the models in `modelsDir` (public/models by default). */
export async function checkWebGpuVariants(modelsDir: string, log: (line: string) => void): Promise<void> {
  const models = (await installedManifests(modelsDir)).filter(({ manifest }) => manifest.variants.some(unchecked));
  if (models.length === 0) return;
  if (!existsSync(chromiumPath)) {
    log(`WebGPU-vs-WASM check of the variants skipped: no Chromium at ${chromiumPath} (apt-get install chromium, then npm install again). The app still checks on each user's GPU.`);
    return;
  }
  await bundlePage();
  const browser = await launchChromium('webgpu');
  try {
    const page = await browser.newPage();
    await openPage(page, modelsDir);
    const adapter = await page.evaluate(() => globalThis.muscopeInstallCheck!.adapter());
    if (!adapter) {
      log('WebGPU-vs-WASM check of the variants skipped: Chromium found no WebGPU adapter. The app still checks on each user\'s GPU.');
      return;
    }
    for (const { path, manifest } of models) {
      const checkedAt = new Date().toISOString();
      const variants: ModelVariant[] = [];
      for (const variant of manifest.variants) {
        const reference = referenceFor(manifest, variant);
        if (!unchecked(variant) || !reference) {
          variants.push(variant);
        } else if (variant.requiresFeature && !adapter.shaderF16) {
          variants.push(recordCheck(variant, { notRun: `the adapter (${adapter.description}) has no ${variant.requiresFeature}`, checkedAt }));
        } else {
          const request: CheckRequest = {
            input: manifest.input,
            gpu: { url: `/models/${manifest.id}/${variant.file}`, dtype: variant.dtype },
            cpu: { url: `/models/${manifest.id}/${reference.file}`, dtype: reference.dtype },
          };
          const figures: CheckFigures = await page.evaluate((r) => globalThis.muscopeInstallCheck!.check(r), request);
          const agrees = figures.maxRelative !== null && figures.maxRelative <= figures.tolerance;
          variants.push(recordCheck(variant, { ...figures, agrees, against: reference.dtype, adapter: adapter.description, checkedAt }));
          log(`${manifest.id} ${variant.dtype} on WebGPU (${adapter.description}) vs ${reference.dtype} on WASM: ${figures.maxRelative?.toExponential(2) ?? 'NaN'}${agrees ? '' : ' — disagrees, no longer offered on WebGPU'}`);
        }
      }
      await writeFile(path, `${JSON.stringify({ ...manifest, variants }, null, 2)}\n`);
    }
  } finally {
    await browser.close();
  }
}
