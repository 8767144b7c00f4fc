import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { worstRelative } from '../src/encoders/agreement.ts';
import type { ModelManifest, VariantDtype } from '../src/encoders/manifest.ts';

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('loads the default model and shows the backend', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText(testInfo.project.metadata.backend as string);
  await expect(page.getByTestId('model')).toHaveText('resnet50v2-imagenet-trunk');
  if (testInfo.project.metadata.backend === 'webgpu') {
    // Kept on WebGPU only after agreeing with WASM on the probe image; the figure is shown.
    const check = await page.getByTestId('webgpu-check').textContent();
    const [, measured, allowed] = /to (\S+) \(allowed (\S+)\)/.exec(check ?? '') ?? [];
    expect(Number(measured)).toBeLessThanOrEqual(Number(allowed));
    testInfo.annotations.push({ type: 'WebGPU vs WASM on the probe image', description: check ?? '' });
  } else {
    await expect(page.getByTestId('webgpu-check')).toHaveCount(0);
  }
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});

// The fixture encoders exercise every op of a CLIP / DINOv2 ViT at a size SwiftShader runs in
// seconds. WebGPU and WASM must agree to 1e-4 of each output's scale; WASM must agree with
// onnxruntime-node (the CLI's runtime) on the same input.
const FIXTURES = ['fixture-clip-vit', 'fixture-dinov2-vit'];
const TOLERANCE = 1e-4;

type Outputs = Record<string, { dims: number[]; data: number[] }>;

async function probe(
  page: Page,
  modelId: string,
  backend: 'webgpu' | 'wasm',
  variant?: VariantDtype,
): Promise<Outputs> {
  return page.evaluate(
    async ([id, b, v]) => {
      const result = await window.muscopeDiagnostics!.probe(id, b, v);
      if (result.backend !== b) throw new Error(`${id} ${v ?? ''} was asked for ${b} but ran on ${result.backend}`);
      return Object.fromEntries(
        Object.entries(result.outputs).map(([k, o]) => [k, { dims: o.dims, data: Array.from(o.data) }]),
      );
    },
    [modelId, backend, variant] as const,
  );
}

// Probes wait for the default model to finish loading: onnxruntime-web cannot initialise its
// WebGPU backend twice at once.
async function openIdle(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
}

test('fixture encoders: same taps on WebGPU and WASM', async ({ page }, testInfo) => {
  test.skip(testInfo.project.metadata.backend !== 'webgpu', 'needs a WebGPU adapter');
  await openIdle(page);
  for (const modelId of FIXTURES) {
    const gpu = await probe(page, modelId, 'webgpu');
    const cpu = await probe(page, modelId, 'wasm');
    expect(Object.keys(gpu).length, modelId).toBeGreaterThanOrEqual(5); // 4 taps + the embedding
    expect(worstRelative(gpu, cpu), modelId).toBeLessThan(TOLERANCE);
  }
});

test('fixture encoders: WASM in the browser equals onnxruntime-node', async ({ page }, testInfo) => {
  test.skip(
    testInfo.project.metadata.backend !== 'wasm',
    'the WASM path is the same in both projects; checked on the fast one',
  );
  const { runFixtureInNode } = await import('../tooling/browser/pages/nodeReference.ts');
  await openIdle(page);
  for (const modelId of FIXTURES) {
    const wasm = await probe(page, modelId, 'wasm');
    expect(worstRelative(wasm, await runFixtureInNode(modelId)), modelId).toBeLessThan(TOLERANCE);
  }
});

// Quantized WebGPU paths have had silent wrong output (docs/architecture-platform.md §3): every variant the
// manifest offers to WebGPU, and this adapter can run, must agree with the same variant on WASM.
test('quantized variants offered on WebGPU agree with WASM', async ({ page }, testInfo) => {
  test.skip(testInfo.project.metadata.backend !== 'webgpu', 'needs a WebGPU adapter');
  test.setTimeout(600_000);
  await openIdle(page);
  const shaderF16 = await page.evaluate(
    async () => (await navigator.gpu.requestAdapter())?.features.has('shader-f16') ?? false,
  );
  for (const modelId of ['mobilenetv2-imagenet-trunk', 'resnet50v2-imagenet-trunk']) {
    const manifest = JSON.parse(readFileSync(`public/models/${modelId}/manifest.json`, 'utf8')) as ModelManifest;
    const variants = manifest.variants.filter(
      (v) => v.dtype !== 'fp32' && v.backends.includes('webgpu') && (!v.requiresFeature || shaderF16),
    );
    expect(variants.length, `${modelId} offers a quantized WebGPU variant`).toBeGreaterThan(0);
    for (const { dtype, webgpuCheck } of variants) {
      const gpu = await probe(page, modelId, 'webgpu', dtype);
      const cpu = await probe(page, modelId, 'wasm', dtype);
      expect(worstRelative(gpu, cpu), `${modelId} ${dtype}`).toBeLessThan(TOLERANCE);
      // npm install ran the same check in headless Chromium and wrote its figure into the manifest.
      expect(webgpuCheck, `${modelId} ${dtype} manifest`).toMatchObject({
        agrees: true,
        maxRelative: expect.any(Number),
      });
    }
  }
});
