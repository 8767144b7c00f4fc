// Settings → "Add a model…", driven as a user does it: the hooks of issue 17.
import { expect, type Locator, type Page } from '@playwright/test';

/** The cache the page keeps added models in (src/platform/browser/addedModels.ts). */
export const ADDED_MODELS_CACHE = 'added-models';

export async function openSettings(page: Page): Promise<void> {
  if ((await page.getByTestId('settings').count()) === 0) await page.getByTestId('settings-toggle').click();
  await expect(page.getByTestId('settings')).toBeVisible();
}

/**
 * Replaces a text field's value by typing, as a user does. fill() sets the value directly under
 * Firefox's WebDriver BiDi, which React's change tracking does not see.
 */
export async function typeInto(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially(text);
  await expect(field).toHaveValue(text);
}

/** Adds the ONNX file at `path` (with its data files, picked together) under `name`; resolves with the dialog's final state and text. */
export async function addModelFile(
  page: Page,
  path: string | string[],
  name: string,
  timeout = 180_000,
): Promise<{ state: string; text: string }> {
  await openSettings(page);
  await page.getByTestId('add-model').click();
  await page.getByTestId('add-model-file').setInputFiles(path);
  const nameField = page.getByTestId('add-model-name');
  // the dialog names the model after the file once it has seen it: type over that, not before it
  await expect(nameField).not.toHaveValue('');
  await typeInto(nameField, name);
  await page.getByTestId('add-model-confirm').click();
  const status = page.getByTestId('add-model-status');
  await expect(status).toHaveAttribute('data-state', /^(done|error)$/, { timeout });
  return { state: (await status.getAttribute('data-state')) ?? '', text: (await status.textContent()) ?? '' };
}

export async function closeAddModel(page: Page): Promise<void> {
  await page.getByTestId('add-model-close').click();
  await expect(page.getByTestId('add-model-dialog')).toHaveCount(0);
}

/** Every URL in the page's added-models storage. */
export function storedModelUrls(page: Page): Promise<string[]> {
  return page.evaluate(
    async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname),
    ADDED_MODELS_CACHE,
  );
}

/** A stored file of an added model, as bytes. */
export async function storedModelFile(page: Page, id: string, file: string): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([name, path]) => {
      const response = await (await caches.open(name)).match(path);
      if (!response) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    [ADDED_MODELS_CACHE, `/models/added/${id}/${file}`] as const,
  );
  if (base64 === null) throw new Error(`${file} of ${id} is not stored`);
  return Buffer.from(base64, 'base64');
}
