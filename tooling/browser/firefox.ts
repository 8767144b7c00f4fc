// Debian's Firefox ESR through WebDriver BiDi, launched as the Playwright 'firefox' project
// launches it (playwright.config.ts is the one source): for the bench's per-browser timings.
import { firefox, type Browser } from '@playwright/test';
import playwrightConfig from '../../playwright.config.ts';

export function launchFirefox(): Promise<Browser> {
  const project = playwrightConfig.projects?.find((p) => p.name === 'firefox');
  if (!project?.use) throw new Error("playwright.config.ts has no 'firefox' project");
  return firefox.launch({ ...project.use.launchOptions, channel: project.use.channel });
}
