import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import { DEMO_ROOT, dropReferences, expectState, extraGoodBottles } from '../tooling/browser/pages/batch.ts';

// Camera mode in real Chromium, through its fake capture device fed from a YUV4MPEG2 file the
// test writes from real bottle photos: an empty station, then parts placed and held still one
// after the other. On WASM, as e2e/liveBatch.spec.ts: the emulated GPU is too slow to score live.
const SIDE = 320;
const FPS = 10;

/** Called first in each test (a hook would need an empty fixtures pattern, which the lint refuses). */
function onlyOnWasm(): void {
  test.skip(test.info().project.name !== 'wasm', 'camera mode is checked on WASM');
  test.setTimeout(300_000);
}

/** RGB (sharp's raw output) to I420, BT.601 studio range as Chromium reads it. */
function i420(rgb: Buffer, side: number): Buffer {
  const y = Buffer.alloc(side * side);
  const u = Buffer.alloc((side / 2) * (side / 2));
  const v = Buffer.alloc(u.length);
  for (let i = 0; i < side * side; i++) {
    const [r, g, b] = [rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]];
    y[i] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
  }
  for (let row = 0; row < side / 2; row++)
    for (let col = 0; col < side / 2; col++) {
      let [r, g, b] = [0, 0, 0];
      for (const [dy, dx] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]) {
        const p = 3 * ((2 * row + dy) * side + 2 * col + dx);
        r += rgb[p] / 4;
        g += rgb[p + 1] / 4;
        b += rgb[p + 2] / 4;
      }
      u[row * (side / 2) + col] = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
      v[row * (side / 2) + col] = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
    }
  return Buffer.concat([y, u, v]);
}

interface Scene {
  /** a photo, or null for the empty station (flat grey) */
  photo: string | null;
  seconds: number;
}

/** Writes the scenes as a .y4m the fake capture device plays (and loops) in real time. */
async function writeY4m(path: string, scenes: readonly Scene[]): Promise<void> {
  const empty = i420(Buffer.alloc(SIDE * SIDE * 3, 128), SIDE);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${SIDE} H${SIDE} F${FPS}:1 Ip A1:1 C420jpeg\n`)];
  for (const scene of scenes) {
    const frame = scene.photo
      ? i420(await sharp(scene.photo).resize(SIDE, SIDE).removeAlpha().raw().toBuffer(), SIDE)
      : empty;
    for (let i = 0; i < scene.seconds * FPS; i++) parts.push(Buffer.from('FRAME\n'), frame);
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** A browser of the project's kind (its executable and flags) plus the camera flags. */
async function launch(extra: string[]): Promise<Browser> {
  const options = test.info().project.use.launchOptions ?? {};
  return chromium.launch({ ...options, args: [...(options.args ?? []), ...extra] });
}

async function openApp(browser: Browser): Promise<Page> {
  const page = await browser.newPage({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 1440, height: 1000 },
  });
  await rememberWasmBackend(page);
  await page.goto('/');
  return page;
}

const demo = (folder: string, file: string) => join(DEMO_ROOT, 'test', folder, file);

test('automatic capture flags every defective part NG and every good one OK, each captured once', async () => {
  onlyOnWasm();
  const parts = [
    { photo: demo('good', '000.png'), defective: false },
    { photo: demo('broken_large', '000.png'), defective: true },
    { photo: demo('good', '001.png'), defective: false },
    { photo: demo('contamination', '000.png'), defective: true },
  ];
  const video = test.info().outputPath('parts.y4m');
  // Empty long enough to open the camera and switch automatic capture on; then each part held 3 s.
  await writeY4m(video, [
    { photo: null, seconds: 6 },
    ...parts.flatMap((p) => [
      { photo: p.photo, seconds: 3 },
      { photo: null, seconds: 1.5 },
    ]),
    { photo: null, seconds: 4 },
  ]);
  const browser = await launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const page = await openApp(browser);
    await expectState(page, 'idle', 120_000);
    const references = extraGoodBottles();
    await dropReferences(page, references);

    await page.getByTestId('camera-mode').click();
    await expect(page.getByTestId('capture')).toBeEnabled({ timeout: 30_000 });
    await page.getByTestId('auto-capture').check();
    const tally = page.getByTestId('capture-tally');
    await expect(tally).toHaveAttribute('data-total', String(parts.length), { timeout: 60_000 });
    // Off before the file loops back to the first part.
    await page.getByTestId('auto-capture').uncheck();

    const latest = page.getByTestId('latest-verdict');
    await expect(latest).toHaveAttribute('data-name', `capture-${parts.length}.png`);
    await expect(latest).toHaveAttribute('data-verdict', /^(normal|anomalous)$/, { timeout: 120_000 });
    for (const [i, part] of parts.entries()) {
      const card = page.locator(`[data-testid="result"][data-name="capture-${i + 1}.png"]`);
      await expect(card).toHaveAttribute('data-verdict', /^(normal|anomalous)$/, { timeout: 120_000 });
      const verdict = await card.getAttribute('data-verdict');
      console.log(
        `capture-${i + 1}.png: ${part.defective ? 'defective' : 'good'} part, ${verdict}, score ${await card.getAttribute('data-score')}`,
      );
    }
    for (const [i, part] of parts.entries())
      await expect(page.locator(`[data-testid="result"][data-name="capture-${i + 1}.png"]`)).toHaveAttribute(
        'data-verdict',
        part.defective ? 'anomalous' : 'normal',
      );
    console.log(`capture to verdict on WASM, ms: ${await tally.getAttribute('data-verdict-ms')}`);
    await expect(tally).toHaveAttribute('data-ok', '2');
    await expect(tally).toHaveAttribute('data-ng', '2');
    await expect(latest.getByTestId('heatmap')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('camera-mode.png') });
    // Never the same still scene twice: 5 references and the 4 captures, nothing else.
    await expect(tally).toHaveAttribute('data-total', String(parts.length));
    await expect(page.getByTestId('result')).toHaveCount(references.length + parts.length);

    // By hand: the button, then the space bar (away from any button, which it would press).
    await page.getByTestId('capture').click();
    await expect(latest).toHaveAttribute('data-name', `capture-${parts.length + 1}.png`);
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await expect(latest).toHaveAttribute('data-name', `capture-${parts.length + 2}.png`);

    // A region of interest (the middle quarter of the picture): only that crop is captured.
    const layer = page.getByTestId('roi-layer');
    const box = await layer.boundingBox();
    if (!box) throw new Error('no preview');
    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 4);
    await page.mouse.down();
    await page.mouse.move(box.x + (box.width * 3) / 4, box.y + (box.height * 3) / 4, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('roi')).toBeVisible();
    await page.getByTestId('capture').click();
    await expect(latest).toHaveAttribute('data-name', `capture-${parts.length + 3}.png`);
    await expect(latest).toHaveAttribute('data-size', `${SIDE / 2}x${SIDE / 2}`, { timeout: 60_000 });
  } finally {
    await browser.close();
  }
});

test('a refused camera gets a plain message and the page stays usable', async () => {
  onlyOnWasm();
  // A fake camera exists, but the permission prompt is answered "no".
  const browser = await launch(['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
  try {
    const page = await openApp(browser);
    await page.getByTestId('camera-mode').click();
    await expect(page.getByTestId('camera-error')).toHaveText(/Camera access was refused/);
    await page.getByTestId('camera-mode').click();
    await page.getByTestId('demo').click();
    await expect(page.getByTestId('result').or(page.getByTestId('pending-image'))).not.toHaveCount(0, {
      timeout: 60_000,
    });
  } finally {
    await browser.close();
  }
});
