// Debian's Chromium, launched with the Playwright project's flags for a backend
// (playwright.config.ts is the one source of them): for the bench and the install's WebGPU check.
import { chromium, type Browser } from '@playwright/test';
import playwrightConfig from '../../playwright.config.ts';

export const chromiumPath = process.env.MUSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** `extraArgs` come after the project's flags: a later duplicate switch wins. */
export function launchChromium(backend: 'webgpu' | 'wasm', extraArgs: string[] = []): Promise<Browser> {
  const project = playwrightConfig.projects?.find((p) => p.name === backend);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...(project?.use?.launchOptions?.args ?? []), ...extraArgs],
  });
}
