// Shared e2e helpers: the 12 demo bottle images as files, a synthesized drop, the app's state,
// the scored results as the page shows them, and downloads unzipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Download, type Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';

export const DEMO_ROOT = join(import.meta.dirname, '../../public/demo/bottle');

export interface TestImage {
  /** unique file name: '<defect folder>_<file>' */
  name: string;
  defective: boolean;
  bytes: Buffer;
}

/** The demo set's 12 test images (6 good, 6 defective), read from public/demo. */
export function bottleImages(): TestImage[] {
  const test = join(DEMO_ROOT, 'test');
  return readdirSync(test)
    .sort()
    .flatMap((defect) =>
      readdirSync(join(test, defect))
        .sort()
        .map((file) => ({ name: `${defect}_${file}`, defective: defect !== 'good', bytes: readFileSync(join(test, defect, file)) })),
    );
}

/** Drops files on the drop zone through a DataTransfer, as a user's drag and drop would. */
export async function dropFiles(page: Page, files: ReadonlyArray<{ name: string; bytes: Buffer; type?: string }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type ?? 'image/png', base64: f.bytes.toString('base64') }));
  await page.getByTestId('drop-zone').evaluate((zone, items) => {
    const data = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], item.name, { type: item.type }));
    }
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, payload);
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
  return page.locator(selector).first().evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    if (canvas.width === 0 || canvas.height === 0) return false;
    const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 97) if (pixels[i + 3] > 0) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
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
  if (process.env.MUSCOPE_SCREENSHOTS) await page.screenshot({ path: join(import.meta.dirname, '../../docs/screenshots', `${name}.png`) });
}

/** Makes the app start on WASM, as a user who chose it in the settings on an earlier visit. */
export async function rememberWasmBackend(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('muscope-preferences', JSON.stringify({ state: { backendPreference: 'wasm' }, version: 0 })));
}
