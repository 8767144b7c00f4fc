import { expect, test, type Page } from '@playwright/test';

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
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});

// The fixture encoders exercise every op of a CLIP / DINOv2 ViT at a size SwiftShader runs in
// seconds. WebGPU and WASM must agree to 1e-4 of each output's scale; WASM must agree with
// onnxruntime-node (the CLI's runtime) on the same input.
const FIXTURES = ['fixture-clip-vit', 'fixture-dinov2-vit'];
const TOLERANCE = 1e-4;

type Outputs = Record<string, { dims: number[]; data: number[] }>;

async function probe(page: Page, modelId: string, backend: 'webgpu' | 'wasm'): Promise<Outputs> {
  return page.evaluate(
    async ([id, b]) => {
      const result = await window.muscopeDiagnostics!.probe(id, b);
      return Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data) }]));
    },
    [modelId, backend] as const,
  );
}

function worstRelative(a: Outputs, b: Outputs): number {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  let worst = 0;
  for (const name of Object.keys(a)) {
    expect(a[name].dims).toEqual(b[name].dims);
    const scale = Math.max(1e-6, ...b[name].data.map(Math.abs));
    for (let i = 0; i < a[name].data.length; i++) worst = Math.max(worst, Math.abs(a[name].data[i] - b[name].data[i]) / scale);
  }
  return worst;
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
  test.skip(testInfo.project.metadata.backend !== 'wasm', 'the WASM path is the same in both projects; checked on the fast one');
  const { runFixtureInNode } = await import('./helpers/nodeReference.ts');
  await openIdle(page);
  for (const modelId of FIXTURES) {
    const wasm = await probe(page, modelId, 'wasm');
    expect(worstRelative(wasm, await runFixtureInNode(modelId)), modelId).toBeLessThan(TOLERANCE);
  }
});
