import { expect, test } from '@playwright/test';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, canvasIsDrawn, expectState } from '../tooling/browser/pages/batch.ts';

// A finding explained: the detail view of a defective bottle shows the evidence from the batch
// (the images nearest to its hottest patch, with crops). On WASM: the evidence comes from the
// scoring session the worker keeps.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'findings are checked on WASM');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

test('a defective bottle’s detail view shows evidence crops from other images, farther than usual', async ({
  page,
}) => {
  const bottles = bottleImages();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, bottles);
  await expectState(page, 'done', 240_000);

  const defect = 'broken_large_000.png';
  await page.locator(`[data-testid="result"][data-name="${defect}"]`).click();
  const detail = page.getByTestId('detail');
  await expect(detail).toBeVisible();

  const evidence = detail.getByTestId('evidence');
  await expect(evidence).toBeVisible({ timeout: 60_000 });
  // 11 other bottles score it (mutual scoring, no references): the 3 nearest are shown, each another image.
  await expect(evidence.getByTestId('evidence-sentence')).toContainText('the 11 images that score it');
  const sentence = (await evidence.getByTestId('evidence-sentence').textContent()) ?? '';
  const ratio = Number(/([\d.]+)× farther than usual/.exec(sentence)?.[1]);
  // A broken bottle's hottest patch has nothing like it among good bottles: well past the usual match.
  expect(ratio).toBeGreaterThan(1.5);
  const matches = evidence.getByTestId('evidence-match');
  await expect(matches).toHaveCount(3);
  const names = bottles.map((b) => b.name).filter((n) => n !== defect);
  for (const caption of await matches.locator('figcaption').allTextContents())
    expect(
      names.some((n) => caption.startsWith(`${n},`)),
      caption,
    ).toBe(true);
  await expect(async () =>
    expect(await canvasIsDrawn(page, '[data-testid="evidence-match"] canvas')).toBe(true),
  ).toPass({ timeout: 10_000 });
});
