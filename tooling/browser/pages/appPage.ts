// Driving the app page: an MVTec category's test images as files, a synthesized drop, a real drag
// of files and folders from disk, and a remembered WASM preference. Free of @playwright/test's `expect`, so `npm run bench` uses them too.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';

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

/**
 * Drags files or folders from this machine's disk onto `target` through Chromium's own drag and
 * drop (DevTools Input.dispatchDragEvent): a folder arrives as a real directory entry, as a
 * user's drag from a file manager gives it, which a script-made DataTransfer cannot hold.
 */
export async function dragPaths(page: Page, target: Locator, paths: readonly string[]): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('the drop target is not visible');
  // The middle of the part of the target inside the viewport: what a user's pointer can reach.
  const height = Math.min(box.y + box.height, page.viewportSize()?.height ?? Infinity) - box.y;
  const [x, y] = [box.x + box.width / 2, box.y + height / 2];
  const cdp = await page.context().newCDPSession(page);
  try {
    const data = { items: [], files: [...paths], dragOperationsMask: 1 };
    await page.mouse.move(x, y);
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
      await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  } finally {
    await cdp.detach();
  }
}

/** Makes the app start on WASM, as a user who chose it in the settings on an earlier visit. */
export async function rememberWasmBackend(page: Page): Promise<void> {
  await page.addInitScript(() =>
    localStorage.setItem('muscope-preferences', JSON.stringify({ state: { backendPreference: 'wasm' }, version: 0 })),
  );
}
