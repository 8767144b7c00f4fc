import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { readNpyFloat32 } from '../src/cli/cliRun.testing.ts';
import { COLORMAPS, type ColormapName } from '../src/engine/colormaps.ts';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import {
  bottleImages,
  DEMO_ROOT,
  expectState,
  sharedBottleSample,
  unzipDownload,
} from '../tooling/browser/pages/batch.ts';
import { openSettings } from '../tooling/browser/pages/models.ts';

// What the page shows, against an independent truth: the CLI (onnxruntime-node, its own decoder)
// on the same demo bottles.
// - The heatmap: the CLI's S×S map of one image, coloured as the page colours it, must be what the
//   detail view's canvas shows at full heat opacity. A blank, flipped, shifted or mis-scaled map
//   fails: the same map flipped is checked to differ.
// - The colormap and normalisation switches: a good bottle in inferno over the whole batch's range,
//   against its own range and the other colormap.
// - The export: that overlay PNG as shown, a mask PNG against the CLI's map at the image's stated
//   pixel threshold, and every image's score and map maximum against the CLI's (1e-4).
// - The evaluation: the page's metrics for the demo folder (MVTec layout) are `muscope eval`'s.
// - The shortcuts: with Aligned parts or Candidate images chosen in Settings, the page's scores are
//   `muscope score --aligned` / `--candidates`'s.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'the rendering is the same on both backends; checked on WASM');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

interface Canvas {
  width: number;
  height: number;
  rgba: number[];
}

async function detailCanvas(page: Page): Promise<Canvas> {
  return page
    .getByTestId('detail')
    .locator('canvas[data-testid="heatmap"]')
    .evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      return { width: canvas.width, height: canvas.height, rgba: Array.from(data) };
    });
}

/** Mean absolute colour difference (0–255) between the canvas and the map coloured as the page does, sampled at map pixel centres. */
function colourDistance(
  shown: Canvas,
  map: Float32Array,
  size: number,
  range: { min: number; max: number },
  colormap: ColormapName,
): number {
  const table = COLORMAPS[colormap];
  let sum = 0;
  let count = 0;
  for (let y = 2; y < size - 2; y += 4) {
    for (let x = 2; x < size - 2; x += 4) {
      const level = Math.round(
        255 * Math.min(1, Math.max(0, (map[y * size + x] - range.min) / (range.max - range.min))),
      );
      const cx = Math.floor(((x + 0.5) * shown.width) / size);
      const cy = Math.floor(((y + 0.5) * shown.height) / size);
      const at = (cy * shown.width + cx) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(shown.rgba[at + c] - table[level * 3 + c]);
      count += 3;
    }
  }
  return sum / count;
}

/** A PNG's pixels as RGBA, decoded in Node (sharp), to read an exported file like a canvas. */
async function pngCanvas(bytes: Uint8Array): Promise<Canvas> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: Array.from(data) };
}

/** Share of map pixel centres where the mask's white/black disagrees with map > threshold. */
function maskDisagreement(mask: Canvas, map: Float32Array, size: number, threshold: number): number {
  let off = 0;
  let count = 0;
  for (let y = 1; y < size; y += 2) {
    for (let x = 1; x < size; x += 2) {
      const cx = Math.floor(((x + 0.5) * mask.width) / size);
      const cy = Math.floor(((y + 0.5) * mask.height) / size);
      if (mask.rgba[(cy * mask.width + cx) * 4] > 127 !== map[y * size + x] > threshold) off += 1;
      count += 1;
    }
  }
  return off / count;
}

/** Runs the CLI from the repository root; resolves with its standard output. */
function muscope(...args: string[]): string {
  return execFileSync('npx', ['tsx', '--import', './tooling/node/wat.mjs', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('the detail view draws the map the CLI computes for the same image: placed, oriented and coloured', async ({
  page,
}) => {
  // The truth: the CLI on the demo folder.
  const out = mkdtempSync(join(tmpdir(), 'muscope-heatmap-'));
  try {
    muscope('score', join(DEMO_ROOT, 'test'), '--out', out, '--no-overlays');
    const rows = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8')) as Array<{
      path: string;
      map: string;
      score: number;
      rawScore: number;
    }>;
    const row = rows.find((r) => r.path.endsWith(join('broken_large', '000.png')));
    expect(row, JSON.stringify(rows.map((r) => r.path))).toBeDefined();
    const map = readNpyFloat32((row as { map: string }).map);
    const size = Math.round(Math.sqrt(map.length));

    await page.goto('/');
    await expectState(page, 'idle', 120_000);
    await dropFiles(page, bottleImages());
    await expectState(page, 'done', 240_000);
    await page.locator('[data-testid="result"][data-name="broken_large_000.png"] .card-open').click();
    const detail = page.getByTestId('detail');
    await expect(detail).toBeVisible();
    // full heat, no outline, each map stretched over its own range, the JET colormap
    await detail.getByLabel('Heatmap opacity').fill('1');
    await detail.getByRole('radio', { name: 'Per image' }).check();
    await detail.getByRole('checkbox', { name: /Outline/ }).uncheck();
    await detail.locator('select').selectOption('jet');
    await page.waitForTimeout(500); // one redraw

    const shown = await detailCanvas(page);
    expect([shown.width, shown.height]).toEqual([900, 900]);
    // Per image: from the image's lowest patch score to its map peak. The CLI's map is the same
    // bilinear upsampling: its minimum is at most a hair above the grid's lowest score.
    let [min, max] = [Infinity, -Infinity];
    for (const v of map) [min, max] = [Math.min(min, v), Math.max(max, v)];
    const distance = colourDistance(shown, map, size, { min, max }, 'jet');
    const flipped = map.map((_, p) => map[(size - 1 - Math.floor(p / size)) * size + (p % size)]);
    const distanceFlipped = colourDistance(shown, flipped, size, { min, max }, 'jet');
    console.log(
      `heatmap vs CLI map: mean colour difference ${distance.toFixed(2)} / 255; flipped ${distanceFlipped.toFixed(2)}`,
    );
    expect(distance).toBeLessThan(2);
    expect(distanceFlipped).toBeGreaterThan(5 * distance + 10);

    // The other colormap and the other normalisation, on a good bottle: one range for every map
    // of the batch (its lowest patch score to its highest image score), against its own range.
    await detail.getByRole('radio', { name: 'Whole batch' }).check();
    await detail.locator('select').selectOption('inferno');
    await detail.getByRole('button', { name: 'Close the detail view' }).click();
    await page.locator('[data-testid="result"][data-name="good_000.png"] .card-open').click();
    await expect(detail).toBeVisible();
    await page.waitForTimeout(500); // one redraw
    const goodRow = rows.find((r) => r.path.endsWith(join('good', '000.png')));
    expect(goodRow).toBeDefined();
    const goodMap = readNpyFloat32((goodRow as { map: string }).map);
    const batch = { min: Infinity, max: -Infinity };
    for (const r of rows)
      for (const v of readNpyFloat32(r.map)) [batch.min, batch.max] = [Math.min(batch.min, v), Math.max(batch.max, v)];
    const own = goodMap.reduce((r, v) => ({ min: Math.min(r.min, v), max: Math.max(r.max, v) }), {
      min: Infinity,
      max: -Infinity,
    });
    const goodShown = await detailCanvas(page);
    const wholeBatch = colourDistance(goodShown, goodMap, size, batch, 'inferno');
    const ownRange = colourDistance(goodShown, goodMap, size, own, 'inferno');
    const otherColormap = colourDistance(goodShown, goodMap, size, batch, 'jet');
    console.log(
      `good_000 in inferno over the whole batch: ${wholeBatch.toFixed(2)} / 255; over its own range ${ownRange.toFixed(2)}; in jet ${otherColormap.toFixed(2)}`,
    );
    expect(wholeBatch).toBeLessThan(2);
    expect(ownRange).toBeGreaterThan(5 * wholeBatch + 10);
    expect(otherColormap).toBeGreaterThan(5 * wholeBatch + 10);

    // The export draws the same: the overlay as the view now shows it, and the mask where the CLI's
    // map exceeds the image's pixel threshold (scores.json). Its numbers are the CLI's.
    await detail.getByRole('button', { name: 'Close the detail view' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const zip = await unzipDownload(await downloading);
    const overlay = colourDistance(
      await pngCanvas(zip['overlays/good_000_overlay.png']),
      goodMap,
      size,
      batch,
      'inferno',
    );
    const { images } = JSON.parse(new TextDecoder().decode(zip['scores.json'])) as {
      images: Array<{ file: string; pixelThreshold: number; score: number; mapMax: number }>;
    };
    // the page names a dropped demo image <defect>_<file>
    const cliRow = (file: string) => rows.find((r) => r.path.split(sep).slice(-2).join('_') === file);
    const scoreGaps = images.map((i) => Math.abs(i.score - (cliRow(i.file)?.score ?? NaN)));
    const mapMaxGaps = images.map((i) => Math.abs(i.mapMax - (cliRow(i.file)?.rawScore ?? NaN)));
    console.log(
      `export vs muscope score: largest score gap ${Math.max(...scoreGaps).toExponential(2)}, map maximum gap ${Math.max(...mapMaxGaps).toExponential(2)}`,
    );
    expect(images).toHaveLength(12);
    for (const gap of [...scoreGaps, ...mapMaxGaps]) expect(gap).toBeLessThanOrEqual(1e-4);
    const threshold = images.find((i) => i.file === 'broken_large_000.png')?.pixelThreshold ?? NaN;
    const mask = await pngCanvas(zip['masks/broken_large_000_mask.png']);
    const maskOff = maskDisagreement(mask, map, size, threshold);
    const maskOffFlipped = maskDisagreement(mask, flipped, size, threshold);
    console.log(
      `export: overlay of good_000 ${overlay.toFixed(2)} / 255; mask of broken_large_000 at ${threshold} disagrees on ${(100 * maskOff).toFixed(2)} % of sampled pixels (flipped map ${(100 * maskOffFlipped).toFixed(2)} %)`,
    );
    expect(overlay).toBeLessThan(2);
    expect(maskOff).toBeLessThan(0.01);
    expect(maskOffFlipped).toBeGreaterThan(10 * maskOff + 0.02);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

interface CliEvaluation {
  image: Record<'auroc' | 'ap' | 'f1Max', number | null>;
  pixel: Record<'auroc' | 'ap' | 'f1Max' | 'aupro', number | null>;
}

test('the page evaluates the demo folder as muscope eval does, metric for metric, and keeps it over a reload', async ({
  page,
}) => {
  const out = mkdtempSync(join(tmpdir(), 'muscope-eval-'));
  try {
    const cli = JSON.parse(muscope('eval', DEMO_ROOT, '--out', out)) as CliEvaluation;
    await page.goto('/');
    await expectState(page, 'idle', 120_000);
    await page.getByTestId('folder-input').setInputFiles(DEMO_ROOT);
    await expectState(page, 'done', 240_000);
    await expect(page.getByTestId('evaluation')).toBeVisible();
    const shown = async (id: string) => Number(await page.getByTestId(id).textContent());
    const pairs: Array<[string, number | null]> = [
      ...(['auroc', 'ap', 'f1Max'] as const).map((k): [string, number | null] => [`image-${k}`, cli.image[k]]),
      ...(['auroc', 'ap', 'f1Max', 'aupro'] as const).map((k): [string, number | null] => [`pixel-${k}`, cli.pixel[k]]),
    ];
    for (const [id, value] of pairs) {
      expect(value, id).not.toBeNull();
      // one decimal in %: equal, or a rounding step apart where the backends' 1e-6 differences meet a boundary
      expect(Math.abs((await shown(id)) - 100 * (value as number)), id).toBeLessThanOrEqual(0.051);
    }

    // An evaluated batch survives a reload, its evaluation with it.
    const before = await Promise.all(pairs.map(([id]) => page.getByTestId(id).textContent()));
    await page.reload();
    await expectState(page, 'done', 120_000);
    await expect(page.getByTestId('evaluation')).toBeVisible();
    expect(await Promise.all(pairs.map(([id]) => page.getByTestId(id).textContent()))).toEqual(before);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** A shortcut chosen in Settings, the CLI option that turns it on, and a batch on which it changes the scores. */
const SHORTCUTS = [
  {
    label: 'Aligned parts',
    setting: 'aligned-parts',
    value: '0.1',
    option: ['--aligned', '0.1'],
    batch: () => ({ images: bottleImages(), paths: [join(DEMO_ROOT, 'test')] }),
  },
  {
    // 16 scorers of 19 need 20 images: 5 of each folder of the evaluation bottles
    label: 'Candidate images',
    setting: 'candidate-images',
    value: '16',
    option: ['--candidates', '16'],
    batch: () => {
      const sample = sharedBottleSample(5);
      return { images: sample, paths: sample.map((image) => image.path) };
    },
  },
];

for (const shortcut of SHORTCUTS) {
  const cli = shortcut.option.join(' ');
  test(`with ${shortcut.label} chosen in Settings, the page scores the bottles as muscope score ${cli} does`, async ({
    page,
  }) => {
    const { images, paths } = shortcut.batch();
    const scoresOf = (...args: string[]): Map<string, number> => {
      const out = mkdtempSync(join(tmpdir(), 'muscope-shortcut-'));
      try {
        muscope('score', ...paths, '--out', out, '--no-overlays', ...args);
        const rows = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8')) as Array<{
          path: string;
          score: number;
        }>;
        // test/<defect>/<file> → the page's name for it, '<defect>_<file>'
        return new Map(rows.map((r) => [r.path.split(sep).slice(-2).join('_'), r.score]));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    };
    const withShortcut = scoresOf(...shortcut.option);
    const exact = scoresOf();
    // The shortcut changes the scores, so a page that ignored the setting would fail below.
    expect(Math.max(...[...withShortcut].map(([name, s]) => Math.abs(s - (exact.get(name) ?? NaN))))).toBeGreaterThan(
      1e-3,
    );

    await page.goto('/');
    await expectState(page, 'idle', 120_000);
    await openSettings(page);
    await page.getByTestId(shortcut.setting).selectOption(shortcut.value);
    await page.getByTestId('settings-toggle').click();
    await dropFiles(page, images);
    await expectState(page, 'done', 240_000);
    const shown = await page
      .getByTestId('result')
      .evaluateAll((cards) =>
        cards.map((c) => [c.getAttribute('data-name') ?? '', Number(c.getAttribute('data-score'))] as const),
      );
    expect(shown.map(([name]) => name).sort()).toEqual([...withShortcut.keys()].sort());
    const gaps = shown.map(([name, score]) => Math.abs(score - (withShortcut.get(name) ?? NaN)));
    test.info().annotations.push({
      type: 'figures',
      description: `page vs muscope score ${cli}: largest score gap ${Math.max(...gaps).toExponential(2)}`,
    });
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1e-4);
  });
}
