// Shared e2e helpers: the 12 demo bottle images as files, the app's state, the scored results as
// the page shows them, and downloads unzipped. Dropping files and the WASM preference: appPage.ts.
import { join } from 'node:path';
import { expect, type Download, type Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { dropFiles, testImages, type TestImage } from './appPage.ts';

export const DEMO_ROOT = join(import.meta.dirname, '../../../public/demo/bottle');

/** The demo set's 12 test images (6 good, 6 defective), read from public/demo. */
export const bottleImages = (): TestImage[] => testImages(DEMO_ROOT);

/** 3 defective and 3 good demo bottles: the batch for SwiftShader, where each image takes tens of seconds to encode. */
export function halfDemoBatch(): TestImage[] {
  const demo = bottleImages();
  return [...demo.filter((i) => i.defective).slice(0, 3), ...demo.filter((i) => !i.defective).slice(0, 3)];
}

const SHARED_DATA = join(import.meta.dirname, '../../../../shared/data');
const SHARED_BOTTLE = join(SHARED_DATA, 'mvtec_ad/bottle');

/** The first `count` Magnetic Tile test images beside the checkout (1344 in all, small JPEGs), sorted by path. */
export const magneticTiles = (count: number): TestImage[] =>
  testImages(join(SHARED_DATA, 'mtd/magnetic_tile')).slice(0, count);

/**
 * The first `perFolder` test images of each defect folder of the evaluation bottles beside the
 * checkout, each with its path, so the CLI can score the same files.
 */
export function sharedBottleSample(perFolder: number): Array<TestImage & { path: string }> {
  const seen = new Map<string, number>();
  return testImages(SHARED_BOTTLE).flatMap((image) => {
    const folder = image.defective ? image.name.replace(/_[^_]+$/, '') : 'good';
    const taken = seen.get(folder) ?? 0;
    seen.set(folder, taken + 1);
    const file = image.name.slice(folder.length + 1);
    return taken < perFolder ? [{ ...image, path: join(SHARED_BOTTLE, 'test', folder, file) }] : [];
  });
}

/** Good bottles 015–019 of the evaluation data beside the checkout: none of them is in the demo set. */
export const extraGoodBottles = (): TestImage[] =>
  testImages(SHARED_BOTTLE).filter((i) => /^good_01[5-9]\.png$/.test(i.name));

/** Drops `references`, waits for them to be scored, then marks each as known good through its card's toggle. */
export async function dropReferences(page: Page, references: readonly TestImage[]): Promise<void> {
  await dropFiles(page, references);
  await expectState(page, 'done', 300_000);
  for (const ref of references) {
    const card = page.locator(`[data-testid="result"][data-name="${ref.name}"]`);
    await card.getByTestId('reference-toggle').click();
    await expect(card).toHaveAttribute('data-reference', 'true', { timeout: 120_000 });
  }
  await expectState(page, 'done', 300_000);
}

export async function expectState(page: Page, state: string, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', state, { timeout });
}

export interface ShownResult {
  name: string;
  score: number;
  scoreText: string;
  verdict: string;
}

/** The result cards in page order (most anomalous first), with what each shows. */
export async function shownResults(page: Page): Promise<ShownResult[]> {
  return page.getByTestId('result').evaluateAll((cards) =>
    cards.map((card) => ({
      name: card.getAttribute('data-name') ?? '',
      score: Number(card.getAttribute('data-score')),
      scoreText: card.querySelector('[data-testid="score"]')?.textContent ?? '',
      verdict: card.getAttribute('data-verdict') ?? '',
    })),
  );
}

/** Share of the canvas's pixels that are neither transparent nor one flat colour. */
export async function canvasIsDrawn(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      if (canvas.width === 0 || canvas.height === 0) return false;
      const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      ).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4 * 97)
        if (pixels[i + 3] > 0) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      return colours.size > 16;
    });
}

/** The files of a downloaded zip, by path. */
export async function unzipDownload(download: Download): Promise<Record<string, Uint8Array>> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return unzipSync(new Uint8Array(Buffer.concat(chunks)));
}

export function parseCsv(bytes: Uint8Array): string[][] {
  return strFromU8(bytes)
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split(','));
}

/** Saves a screenshot for the docs when MUSCOPE_SCREENSHOTS is set (npm run e2e does not). */
export async function snapForDocs(page: Page, name: string): Promise<void> {
  if (process.env.MUSCOPE_SCREENSHOTS)
    await page.screenshot({ path: join(import.meta.dirname, '../../../docs/screenshots', `${name}.png`) });
}
