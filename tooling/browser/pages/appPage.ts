// Driving the app page: an MVTec category's test images as files, a synthesized drop, and a
// remembered WASM preference. Free of @playwright/test's `expect`, so `npm run bench` uses them too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export interface TestImage {
  /** unique file name: '<defect folder>_<file>' */
  name: string;
  defective: boolean;
  bytes: Buffer;
}

/** The images of `<categoryDir>/test/<defect>/*`, sorted by path. */
export function testImages(categoryDir: string): TestImage[] {
  const test = join(categoryDir, 'test');
  return readdirSync(test)
    .sort()
    .flatMap((defect) =>
      readdirSync(join(test, defect))
        .sort()
        .map((file) => ({
          name: `${defect}_${file}`,
          defective: defect !== 'good',
          bytes: readFileSync(join(test, defect, file)),
        })),
    );
}

/**
 * Drops files on the drop zone through a DataTransfer, as a user's drag and drop would. Resolves
 * with the page's performance.now() at the drop, so a caller can time from it without the transfer.
 */
export async function dropFiles(
  page: Page,
  files: ReadonlyArray<{ name: string; bytes: Buffer; type?: string }>,
): Promise<number> {
  const payload = files.map((f) => ({ name: f.name, type: f.type ?? 'image/png', base64: f.bytes.toString('base64') }));
  return page.getByTestId('drop-zone').evaluate((zone, items) => {
    const data = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], item.name, { type: item.type }));
    }
    const droppedAt = performance.now();
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    return droppedAt;
  }, payload);
}

/** Makes the app start on WASM, as a user who chose it in the settings on an earlier visit. */
export async function rememberWasmBackend(page: Page): Promise<void> {
  await page.addInitScript(() =>
    localStorage.setItem('muscope-preferences', JSON.stringify({ state: { backendPreference: 'wasm' }, version: 0 })),
  );
}
