import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, DEMO_ROOT, expectState, shownResults } from '../tooling/browser/pages/batch.ts';

// A messy batch (docs/method.md §19): the 12 demo bottles (6 defective) dropped with
// copies of one good bottle saved other ways and a dark 12000×9000 frame, made by Pillow
// (scripts/fixtures/messy_batch.py). The page screens the batch before its verdicts: the 6
// defective bottles are flagged and nothing else, the re-encoded copies say whose near-duplicates
// they are, the two grayscale copies and the dark frame are not comparable, and the rule says so.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'screening runs in the incremental session (the page on WASM)');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

const TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };
const RE_ENCODED = ['copy-webp.webp', 'copy-rgba.png', 'copy-exif-rotated.jpg'];
const GRAY = ['copy-gray.jpg', 'copy-gray16.png'];
const DARK = 'dark-huge.png';

function messyFiles(): Array<{ name: string; bytes: Buffer; type: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'muscope-messy-'));
  try {
    execFileSync('/usr/bin/python3', [
      join(import.meta.dirname, '../scripts/fixtures/messy_batch.py'),
      join(DEMO_ROOT, 'test', 'good', '000.png'),
      dir,
    ]);
    return readdirSync(dir)
      .sort()
      .map((name) => ({ name, bytes: readFileSync(join(dir, name)), type: TYPES[name.split('.').pop() ?? ''] ?? '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a messy batch: the 6 defective bottles are flagged, copies are near-duplicates, grayscale copies and the dark frame are not comparable', async ({
  page,
}) => {
  const bottles = bottleImages();
  const messy = messyFiles();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, [...bottles, ...messy]);
  await expectState(page, 'done', 240_000);

  const shown = await shownResults(page);
  expect(shown).toHaveLength(bottles.length + messy.length);
  const anomalous = shown.filter((r) => r.verdict === 'anomalous').map((r) => r.name);
  expect(anomalous.sort()).toEqual(
    bottles
      .filter((b) => b.defective)
      .map((b) => b.name)
      .sort(),
  );
  expect(
    shown
      .filter((r) => r.verdict === 'not-comparable')
      .map((r) => r.name)
      .sort(),
  ).toEqual([...GRAY, DARK].sort());

  const card = (name: string) => page.locator(`[data-testid="result"][data-name="${name}"]`);
  // the original and its re-encoded copies form one group: each names another member (the CMYK copy
  // joins them where the browser converts CMYK without a colour profile, as Chromium does)
  const family = /^near-duplicate of (good_000\.png|copy-(webp\.webp|rgba\.png|exif-rotated\.jpg|cmyk\.jpg))$/;
  for (const name of ['good_000.png', ...RE_ENCODED])
    await expect(card(name).getByTestId('screening')).toHaveText(family);
  await expect(card(DARK).getByTestId('screening')).toContainText('not comparable: its usual nearest distance');
  for (const gray of GRAY)
    await expect(card(gray).getByTestId('screening')).toHaveText('not comparable: grayscale among colour images');
  await expect(page.getByTestId('count-anomalous')).toHaveText('6 anomalous');
  await expect(page.getByTestId('count-not-comparable')).toHaveText('3 not comparable');
  await expect(page.getByTestId('screening-rule')).toContainText('Near-duplicates');
});
