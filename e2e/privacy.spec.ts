import { expect, test } from '@playwright/test';
import { dropFiles } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, expectState, unzipDownload } from '../tooling/browser/pages/batch.ts';

// Nothing leaves the page: a full inspection (model load, encode, score, heatmaps, export)
// requests nothing from any origin but the page's own. Requests from the worker and the service
// worker are seen through the browser context.
test('a full inspection makes no request to another origin', async ({ page, context, baseURL }, info) => {
  test.skip(
    info.project.name === 'webgpu',
    'network traffic does not depend on the backend; checked on WASM, in Chromium and in Firefox',
  );
  const origin = new URL(baseURL as string).origin;
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));

  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, bottleImages());
  await expectState(page, 'done', 240_000);
  await expect(page.getByTestId('result')).toHaveCount(12);
  await page.getByTestId('result').first().click();
  await page.keyboard.press('Escape');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export').click();
  expect(Object.keys(await unzipDownload(await downloading))).toContain('scores.csv');

  const foreign = requested.filter(
    (url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin,
  );
  expect(requested.length).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
  // The CSP itself forbids other origins, so a regression cannot slip through silently either.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("default-src 'self'");
});
