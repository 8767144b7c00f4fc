import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dragPaths, dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import {
  bottleImages,
  DEMO_ROOT,
  expectState,
  extraGoodBottles,
  shownResults,
} from '../tooling/browser/pages/batch.ts';

// The page's controls a user drives by hand, each checked against what the cards themselves
// show: the threshold slider and its live counts, pasting an image, zoom and pan in the detail view,
// and folders dragged from disk (a dataset, an empty folder, a folder of only bad files).

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'UI controls are checked on WASM');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

const count = async (page: Page, verdict: string) =>
  Number.parseInt((await page.getByTestId(`count-${verdict}`).textContent()) ?? '', 10);

test('the threshold slider moves the verdicts and the counts with it; a pasted image joins the batch; zoom and pan move the detail', async ({
  page,
}) => {
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, bottleImages());
  await expectState(page, 'done', 240_000);

  await test.step('the slider: every card above the threshold anomalous, the counts those of the cards', async () => {
    const slider = page.getByTestId('threshold-slider');
    for (const value of ['0.15', '0.5', '0.95']) {
      await slider.fill(value);
      await expect(page.getByTestId('threshold-value')).toHaveText(Number(value).toFixed(3));
      const shown = await shownResults(page);
      const above = shown.filter((r) => r.score > Number(value));
      for (const r of shown)
        expect(r.verdict, `${r.name} at ${value}`).toBe(r.score > Number(value) ? 'anomalous' : 'normal');
      expect(await count(page, 'anomalous')).toBe(above.length);
      expect(await count(page, 'normal')).toBe(shown.length - above.length);
    }
    await page.getByRole('button', { name: 'Back to automatic' }).click();
    await expect(page.getByTestId('threshold-rule')).toBeVisible();
  });

  await test.step('a pasted image is added and scored like a dropped one', async () => {
    // a copied image reaches the page as "image.png", as browsers name clipboard images
    const [extra] = extraGoodBottles();
    await page.evaluate((base64) => {
      const data = new DataTransfer();
      data.items.add(
        new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }),
      );
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }));
    }, extra.bytes.toString('base64'));
    await expect(page.getByTestId('result')).toHaveCount(13, { timeout: 240_000 });
    await expectState(page, 'done', 240_000);
    const pasted = (await shownResults(page)).find((r) => r.name.startsWith('pasted-'));
    expect(pasted, 'the pasted image is named as pasted').toBeDefined();
    expect(pasted?.verdict).toBe('normal');
  });

  await test.step('zoom in, pan, fit', async () => {
    await page.getByTestId('result').first().locator('.card-open').click();
    const detail = page.getByTestId('detail');
    const content = detail.locator('.zoompan-content');
    const transform = async () => (await content.getAttribute('style')) ?? '';
    const scaleOf = (style: string) => Number(/scale\(([\d.]+)\)/.exec(style)?.[1]);
    const fitted = scaleOf(await transform());
    await detail.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(async () => scaleOf(await transform())).toBeCloseTo(fitted * 1.5, 5);
    const before = await transform();
    const box = await content.boundingBox();
    const [x, y] = [(box?.x ?? 0) + 200, (box?.y ?? 0) + 200];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 80, y + 40, { steps: 5 });
    await page.mouse.up();
    const translate = (style: string) =>
      /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(style)?.slice(1).map(Number) ?? [];
    const [x0, y0] = translate(before);
    const [x1, y1] = translate(await transform());
    expect(x1 - x0).toBeCloseTo(80, 0);
    expect(y1 - y0).toBeCloseTo(40, 0);
    await detail.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(async () => scaleOf(await transform())).toBeCloseTo(fitted, 5);
  });
});

test('folders dragged from disk: a dataset is scored and evaluated; an empty folder and one of only bad files each say why nothing came of them', async ({
  page,
}) => {
  const work = mkdtempSync(join(tmpdir(), 'muscope-folders-'));
  try {
    const empty = join(work, 'empty');
    const bad = join(work, 'only-bad');
    mkdirSync(empty);
    mkdirSync(bad);
    writeFileSync(join(bad, 'notes.png'), 'not an image\n');
    writeFileSync(join(bad, 'zero.jpg'), '');
    await page.goto('/');
    await expectState(page, 'idle', 120_000);

    await dragPaths(page, page.getByTestId('drop-zone'), [empty, bad]);
    const skipped = page.getByTestId('skipped-file');
    await expect(skipped).toHaveCount(3);
    await expect(page.getByTestId('skipped')).toContainText('empty/: no image files found in this folder');
    await expect(skipped.filter({ hasText: 'notes.png' })).toContainText('not an image');
    await expect(skipped.filter({ hasText: 'zero.jpg' })).toContainText('empty');
    await expect(page.getByTestId('result')).toHaveCount(0);

    // An empty folder through the folder picker: the input cannot say which folder it was.
    await page.getByTestId('folder-input').setInputFiles(empty);
    await expect(skipped).toHaveCount(4);
    await expect(skipped.last()).toHaveText('the chosen folder/: no image files found in this folder');

    // The demo dataset as a folder: its MVTec layout comes with the drag (paths inside the folder).
    await dragPaths(page, page.getByTestId('drop-zone'), [DEMO_ROOT]);
    await expectState(page, 'done', 240_000);
    await expect(page.getByTestId('result')).toHaveCount(12);
    await expect(page.getByTestId('image-auroc')).toHaveText('100.0');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
