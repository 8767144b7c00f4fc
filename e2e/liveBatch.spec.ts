import { expect, test, type Page } from '@playwright/test';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import {
  bottleImages,
  dropReferences,
  expectState,
  extraGoodBottles,
  shownResults,
  type ShownResult,
} from '../tooling/browser/pages/batch.ts';

// A batch that grows while it is on screen, and known-good references: the worker keeps an
// incremental scoring session, so a change computes only its own image pairs. On WASM (the
// SwiftShader project would spend minutes per image encoding on the emulated GPU).

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'incremental scoring is checked on WASM');
  test.setTimeout(600_000);
  await rememberWasmBackend(page);
});

const pairsOf = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('pairs-computed').getAttribute('data-pairs'));
const byName = (shown: ShownResult[]) => new Map(shown.map((r) => [r.name, r.score]));

/** Good bottles that are not in the demo set. */

test('adding 1 image to a scored batch of 12 computes only its 12 pairs, with the scores of all 13 scored at once', async ({
  page,
  browser,
}) => {
  const twelve = bottleImages();
  const [thirteenth] = extraGoodBottles();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, twelve);
  await expectState(page, 'done', 300_000);
  expect(await pairsOf(page)).toBe(66);

  await dropFiles(page, [thirteenth]);
  await expect(page.getByTestId('result')).toHaveCount(13, { timeout: 300_000 });
  await expectState(page, 'done', 300_000);
  expect(await pairsOf(page)).toBe(12);
  const grown = byName(await shownResults(page));

  // From scratch: the 13 dropped at once in a fresh page (its own worker, nothing kept).
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await rememberWasmBackend(fresh);
  await fresh.goto('/');
  await expectState(fresh, 'idle', 120_000);
  await dropFiles(fresh, [...twelve, thirteenth]);
  await expectState(fresh, 'done', 300_000);
  expect(await pairsOf(fresh)).toBe(78);
  const atOnce = byName(await shownResults(fresh));
  await context.close();
  expect([...grown.keys()].sort()).toEqual([...atOnce.keys()].sort());
  for (const [name, score] of atOnce)
    expect(Math.abs((grown.get(name) ?? NaN) - score), name).toBeLessThanOrEqual(1e-6);
});

test('with 5 known-good references, parts added one by one each get a verdict that later parts never change', async ({
  page,
}) => {
  const references = extraGoodBottles();
  const parts = bottleImages();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropReferences(page, references);

  const seen = new Map<string, { score: number; verdict: string }>();
  for (const part of parts) {
    await dropFiles(page, [part]);
    const card = page.locator(`[data-testid="result"][data-name="${part.name}"]`);
    await expect(card).toHaveAttribute('data-verdict', /^(normal|anomalous)$/, { timeout: 300_000 });
    await expectState(page, 'done', 300_000);
    // Scored against the references alone: one part's pairs with each of the 5.
    expect(await pairsOf(page)).toBe(references.length);
    const shown = await shownResults(page);
    for (const [name, before] of seen) {
      const now = shown.find((r) => r.name === name);
      expect(now?.score, name).toBe(before.score);
      expect(now?.verdict, name).toBe(before.verdict);
    }
    const mine = shown.find((r) => r.name === part.name);
    seen.set(part.name, { score: mine?.score ?? NaN, verdict: mine?.verdict ?? '' });
  }
  const defective = parts.filter((p) => p.defective).map((p) => seen.get(p.name)?.score ?? NaN);
  const good = parts.filter((p) => !p.defective).map((p) => seen.get(p.name)?.score ?? NaN);
  // Every defective part scores above every good one, and the defective ones are flagged.
  expect(Math.min(...defective)).toBeGreaterThan(Math.max(...good));
  for (const part of parts.filter((p) => p.defective))
    expect(seen.get(part.name)?.verdict, part.name).toBe('anomalous');
});
