// Debian's Chromium, launched with the Playwright project's flags for a backend
// (playwright.config.ts is the one source of them): for the bench and the install's WebGPU check.
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import playwrightConfig from '../../playwright.config.ts';

export const chromiumPath = process.env.MUSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** `extraArgs` come after the project's flags: a later duplicate switch wins. */
function argsFor(backend: 'webgpu' | 'wasm', extraArgs: string[]): string[] {
  const project = playwrightConfig.projects?.find((p) => p.name === backend);
  return [...(project?.use?.launchOptions?.args ?? []), ...extraArgs];
}

export function launchChromium(backend: 'webgpu' | 'wasm', extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: argsFor(backend, extraArgs) });
}

/**
 * Chromium on a profile kept in `userDataDir`, as a user's browser is: a plain launch's contexts
 * are off the record, and those keep the site's storage (Cache API included) in memory.
 */
export function launchChromiumProfile(
  backend: 'webgpu' | 'wasm',
  userDataDir: string,
  extraArgs: string[] = [],
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: argsFor(backend, extraArgs),
  });
}
