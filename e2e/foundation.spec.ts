import { expect, test, type Page } from '@playwright/test';

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('loads the default model and shows the backend', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'idle', { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText(testInfo.project.metadata.backend as string);
  await expect(page.getByTestId('model')).toHaveText('resnet50v2-imagenet-trunk');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);
});
