// Serves the harness bundle on the app's origin without touching dist/: the page and its script
// are answered by request interception, with the same COOP/COEP headers as `vite preview`, so the
// page is cross-origin isolated and loads onnxruntime's files from the real server's /ort/.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { HARNESS_BASE, HARNESS_DIR, HARNESS_SCRIPT } from './build.ts';
import './protocol.ts'; // declares globalThis.muscopeHarness

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const page = `<!doctype html><meta charset="utf-8"><title>MuScope GPU harness</title><script type="module" src="${HARNESS_BASE}${HARNESS_SCRIPT}"></script>`;

/** Opens the harness at `origin` (the preview server) and waits until it is ready. */
export async function openHarness(tab: Page, origin: string): Promise<void> {
  await tab.route(`${origin}${HARNESS_BASE}**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(HARNESS_BASE.length);
    if (name === '' || name === 'index.html') {
      await route.fulfill({ status: 200, contentType: 'text/html', headers: isolation, body: page });
    } else if (/^(assets\/)?[\w.-]+\.js(\.map)?$/.test(name)) {
      await route.fulfill({
        status: 200,
        contentType: 'text/javascript',
        headers: isolation,
        body: await readFile(join(HARNESS_DIR, name)),
      });
    } else {
      await route.fulfill({ status: 404, body: '' });
    }
  });
  await tab.goto(`${origin}${HARNESS_BASE}`);
  await tab.waitForFunction(() => globalThis.muscopeHarness !== undefined);
}
