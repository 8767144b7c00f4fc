import { expect, test, type Page } from '@playwright/test';
import { dropFiles } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, expectState, shownResults } from '../tooling/browser/pages/batch.ts';

// A GPU device lost mid-session (a driver reset, a backgrounded tab on some laptops): the app goes
// on on WASM and says why. MobileNetV2 and 5 images (the fewest MuSc scores unforced) keep the
// SwiftShader time low.
const MODEL = 'mobilenetv2-imagenet-trunk';

/** The page's and the worker's console errors and warnings, uncaught errors counted as errors. */
function watchConsole(page: Page): { errors: string[]; warnings: string[] } {
  const seen = { errors: [] as string[], warnings: [] as string[] };
  page.on('console', (m) =>
    (m.type() === 'error' ? seen.errors : m.type() === 'warning' ? seen.warnings : []).push(m.text()),
  );
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

async function openOnWebGpu(page: Page): Promise<void> {
  await page.addInitScript(
    (modelId) => localStorage.setItem('muscope-preferences', JSON.stringify({ state: { modelId }, version: 0 })),
    MODEL,
  );
  await page.goto('/');
  await expectState(page, 'idle', 300_000);
  await expect(page.getByTestId('model')).toHaveText(MODEL);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
}

test('a lost GPU device: the batch is scored on WASM and the status says why', async ({ page }, info) => {
  test.skip(
    info.project.name !== 'webgpu',
    'needs the SwiftShader WebGPU adapter, which only the webgpu project enables',
  );
  test.setTimeout(900_000);
  const seen = watchConsole(page);
  await openOnWebGpu(page);

  const reason = await page.evaluate(() => window.muscopeDiagnostics!.loseGpuDevice());
  expect(reason).toContain('The GPU device was lost');

  await dropFiles(page, bottleImages().slice(0, 5));
  await expectState(page, 'done', 600_000);
  const shown = await shownResults(page);
  expect(shown).toHaveLength(5);
  expect(shown.every((r) => Number.isFinite(r.score))).toBe(true);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('status')).toContainText(reason);
  expect(seen.errors).toEqual([]);
});

test('a GPU device lost while encoding: the run goes on on WASM, keeping the images read back', async ({
  page,
}, info) => {
  test.skip(
    info.project.name !== 'webgpu',
    'needs the SwiftShader WebGPU adapter, which only the webgpu project enables',
  );
  test.setTimeout(900_000);
  const seen = watchConsole(page);
  await openOnWebGpu(page);

  await dropFiles(page, bottleImages().slice(0, 5));
  // Lost after the first image, with the others still to encode on the GPU.
  await expect(page.getByTestId('progress')).toContainText(/Encoding images [1-3] \/ 5/, { timeout: 600_000 });
  const reason = await page.evaluate(() => window.muscopeDiagnostics!.loseGpuDevice());

  await expectState(page, 'done', 600_000);
  expect((await shownResults(page)).every((r) => Number.isFinite(r.score))).toBe(true);
  await expect(page.getByTestId('result')).toHaveCount(5);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('status')).toContainText(reason);
  await expect(page.getByTestId('status')).toContainText(/\([1-4] from the feature cache\)/);
  expect(seen.warnings.filter((w) => w.includes('GPU device was lost mid-run'))).toHaveLength(1); // the retry, not a fresh load
  expect(seen.errors).toEqual([]);
});
