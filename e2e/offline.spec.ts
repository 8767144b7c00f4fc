import { expect, test } from '@playwright/test';
import { dropFiles } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, expectState, shownResults } from '../tooling/browser/pages/batch.ts';

// A trade-show laptop with the network unplugged: after one online visit the service worker
// serves the app, onnxruntime and the models from its cache.
test('second visit works with the network off', async ({ page, context, browser, browserName, baseURL }, testInfo) => {
  // SwiftShader encodes about one image per 20–30 s: there the offline visit loads the model on
  // WebGPU (runtime and model from the cache, checked against WASM) and scores nothing, since the
  // webgpu project's inspect test scores a batch on it and the other projects score one offline
  // below. It kept the CI run under its time limit.
  const onSwiftShader = testInfo.project.name === 'webgpu';
  test.setTimeout(540_000);
  // Control: with the network off and no service worker, the page cannot load at all.
  const bare = await browser.newContext();
  await bare.setOffline(true);
  const barePage = await bare.newPage();
  await expect(barePage.goto(baseURL as string)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED|NS_ERROR_OFFLINE/);
  await bare.close();

  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await expect
    .poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('muscope-')).length))
    .toBe(1);

  await context.setOffline(true);
  const served: Array<{ url: string; fromSw: boolean }> = [];
  context.on('response', (r) => served.push({ url: r.url(), fromSw: r.fromServiceWorker() }));
  // Playwright's Firefox (BiDi) does not tell a service worker's responses apart; there the page
  // loading at all with the network off (the control above) shows where they came from.
  const notFromServiceWorker = () =>
    browserName === 'firefox' ? [] : served.filter((r) => !r.fromSw).map((r) => r.url);
  await page.reload();
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText(testInfo.project.metadata.backend as string);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('offline')).toHaveText('Works offline');
  const model = served.find((r) => r.url.endsWith('/models/resnet50v2-imagenet-trunk/model.onnx'));
  expect(model, 'the model was fetched after the reload').toBeDefined();
  expect(notFromServiceWorker()).toEqual([]);

  if (onSwiftShader) return;

  // A fresh batch, still offline, on the project's backend.
  const images = bottleImages();
  const defective = images.filter((i) => i.defective).map((i) => i.name);
  await dropFiles(page, images);
  await expectState(page, 'done', 240_000);
  await expect(page.getByTestId('backend')).toHaveText(testInfo.project.metadata.backend as string);
  const ranked = (await shownResults(page)).sort((a, b) => b.score - a.score);
  expect(ranked).toHaveLength(images.length);
  expect(new Set(ranked.slice(0, defective.length).map((r) => r.name))).toEqual(new Set(defective));
  expect(notFromServiceWorker()).toEqual([]);
  await context.setOffline(false);
});
