// Adding a large model in the page (`--case add-model`): issue 17's "a 400 MB synthetic ONNX is
// added without the tab's memory exceeding about 2× the file size". The export is the CLIP fixture's
// structure (scripts/fixtures) made wide (ViT-L's width and MLP, 8 blocks, seeded random weights), so
// its file is about 400 MB while its 56 px input keeps every run short. It is written once into the
// system's temporary folder, then added through Settings → Add a model… in Debian's Chromium on WASM,
// as a user does it. The browser's memory (PSS over its processes, browserMemory.ts) is read once
// the default model is loaded and at its peak from choosing the file until the dialog says done,
// in all and under each step the dialog shows.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { writeModel } from '../onnx/index.ts';
import { clipFixture, type VitFixtureSpec } from '../fixtures/specs.ts';
import { buildVitModel } from '../fixtures/vit-graph.ts';
import { launchChromiumProfile } from '../../tooling/browser/chromium.ts';
import { rememberWasmBackend } from '../../tooling/browser/pages/appPage.ts';
import { addModelFile } from '../../tooling/browser/pages/models.ts';
import { ensurePreview, origin } from './browser.ts';
import { browserPssBytes } from './browserMemory.ts';
import type { BenchRecord } from './cases.ts';

/** 8 blocks of 12.6 M weights (4·1024² attention, 2·1024·4096 MLP): about 403 MB of fp32. */
const wideClip: VitFixtureSpec = {
  ...clipFixture,
  id: 'synthetic-wide-clip',
  displayName: 'Synthetic wide CLIP ViT (random weights, bench only)',
  dim: 1024,
  heads: 16,
  mlpDim: 4096,
  blocks: 8,
  projectionDim: 512,
};

/** Reading, tapping, three variants and their checks on 8 images; minutes for 400 MB on 2 cores. */
const ADD_LIMIT_MS = 1_800_000;
const MB = 2 ** 20;

/**
 * The browser's PSS every `everyMs` until `stop`, its peak (MB) under each line the dialog showed
 * (byte counts left out), so a peak can be told to a step: reading, tapping, a variant's check.
 */
function watchStages(page: Page, everyMs: number): { peaks: Map<string, number>; stop(): Promise<void> } {
  const peaks = new Map<string, number>();
  let sampling = true;
  const status = page.locator('[data-testid="add-model-status"] p').first();
  const sampler = (async () => {
    while (sampling) {
      const mb = Math.round(browserPssBytes() / MB);
      const line = await status.textContent({ timeout: everyMs }).catch(() => null);
      const stage =
        line === null
          ? 'choosing the file'
          : /^(Starting|Reading|Finding|Building)/.test(line)
            ? line.replace(/: \d+ of \d+ MB$/, '')
            : 'storing, done';
      peaks.set(stage, Math.max(peaks.get(stage) ?? 0, mb));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    peaks,
    async stop() {
      sampling = false;
      await sampler;
      const mb = Math.round(browserPssBytes() / MB);
      peaks.set('done', mb);
    },
  };
}

async function syntheticExport(): Promise<string> {
  const path = join(tmpdir(), `muscope-bench-${wideClip.id}-${wideClip.blocks}x${wideClip.dim}.onnx`);
  // regenerating gives the same bytes (seeded), so a file from an earlier run is reused
  if (!existsSync(path)) await writeModel(path, buildVitModel(wideClip, { form: 'export' }));
  return path;
}

export async function runAddModelCase(emit: (record: BenchRecord) => void): Promise<void> {
  const path = await syntheticExport();
  const fileMb = statSync(path).size / MB;
  const server = await ensurePreview();
  // a profile on disk, as a user's is: off the record the stored model would sit in memory
  const profile = mkdtempSync(join(tmpdir(), 'muscope-bench-profile-'));
  const context = await launchChromiumProfile('wasm', profile);
  try {
    const page = await context.newPage();
    await rememberWasmBackend(page);
    await page.goto(`${origin}/`);
    await page.locator('[data-testid="status"][data-state="idle"]').waitFor({ timeout: 600_000 });
    const idleMb = Math.round(browserPssBytes() / MB);
    const memory = watchStages(page, 1000);
    const started = performance.now();
    const { state, text } = await addModelFile(page, path, 'wide', ADD_LIMIT_MS).finally(() => memory.stop());
    const peakMb = Math.max(...memory.peaks.values());
    emit({
      case: 'add-model',
      backend: 'wasm',
      browser: `chromium ${context.browser()?.version() ?? ''}`.trim(),
      file_mb: Math.round(fileMb),
      ms: Math.round(performance.now() - started),
      state,
      idle_browser_pss_mb: idleMb,
      peak_browser_pss_mb: peakMb,
      added_over_file: +((peakMb - idleMb) / fileMb).toFixed(2),
      peak_mb_by_stage: [...memory.peaks].map(([stage, mb]) => `${stage}: ${mb}`).join('; '),
      ...(state !== 'done' && { error: text.slice(0, 300) }),
    });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    server?.kill();
  }
}
