import { expect, test } from '@playwright/test';
import type { CocoInstances } from '../src/engine/findings/coco.ts';
import type { RegionsFile } from '../src/engine/findings/files.ts';
import { rasterise } from '../src/engine/findings/rasterise.testing.ts';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import {
  bottleImages,
  canvasIsDrawn,
  expectState,
  snapForDocs,
  unzipDownload,
} from '../tooling/browser/pages/batch.ts';

// A finding explained: a defective bottle's detail view lists its regions with their sentences
// and the evidence from the batch (the images nearest to each region's hottest patch, with
// crops); the export holds the regions as regions.json and as COCO instances. On WASM: the
// evidence comes from the scoring session the worker keeps.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'findings are checked on WASM');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

interface ShownRegion {
  bbox: number[];
  area: number;
  sentence: string;
}

test('a defective bottle is explained: regions, sentences, evidence crops, and COCO annotations that fill back to its regions', async ({
  page,
}) => {
  const bottles = bottleImages();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, bottles);
  await expectState(page, 'done', 240_000);

  const defect = 'broken_large_000.png';
  const card = page.locator(`[data-testid="result"][data-name="${defect}"]`);
  await card.locator('.card-open').hover();
  // the gallery tooltip is the findings sentence
  await expect(card.locator('.card-open')).toHaveAttribute(
    'title',
    /^(One region|Two regions|Three regions|\d+ regions)/,
  );
  await card.locator('.card-open').click();
  const detail = page.getByTestId('detail');
  await expect(detail).toBeVisible();

  const regions = detail.getByTestId('region');
  await expect(regions.first()).toBeVisible();
  const shown: ShownRegion[] = await regions.evaluateAll((items) =>
    items.map((item) => ({
      bbox: (item.getAttribute('data-bbox') ?? '').split(',').map(Number),
      area: Number(item.getAttribute('data-area')),
      sentence: item.querySelector('[data-testid="region-sentence"]')?.textContent ?? '',
    })),
  );
  // broken_large_000: the break is at the bottle's rim, in the upper part of the 900×900 image
  for (const region of shown)
    expect(region.sentence).toMatch(/^(Upper|Middle|Lower|Centre)[^.]*, [\d.]+ % of the image/i);
  expect(shown[0].area).toBeGreaterThan(0);

  const evidence = detail.getByTestId('evidence').first();
  await expect(evidence).toBeVisible({ timeout: 60_000 });
  // 11 other bottles score it (mutual scoring, no references): the 3 nearest are shown, each another image.
  await expect(evidence.getByTestId('evidence-sentence')).toContainText('the 11 images that score it');
  const sentence = (await evidence.getByTestId('evidence-sentence').textContent()) ?? '';
  const ratio = Number(/([\d.]+)× farther than usual/.exec(sentence)?.[1]);
  // A broken bottle's region has nothing like it among the other bottles: well past the usual match.
  expect(ratio).toBeGreaterThan(1.5);
  const matches = evidence.getByTestId('evidence-match');
  await expect(matches).toHaveCount(3);
  const others = bottles.map((b) => b.name).filter((n) => n !== defect);
  for (const caption of await matches.locator('figcaption').allTextContents())
    expect(
      others.some((n) => caption.startsWith(`${n},`)),
      caption,
    ).toBe(true);
  await expect(async () =>
    expect(await canvasIsDrawn(page, '[data-testid="evidence-match"] canvas')).toBe(true),
  ).toPass({ timeout: 10_000 });
  await snapForDocs(page, 'findings');
  await page.keyboard.press('Escape');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const zip = await unzipDownload(await downloading);
  const regionsFile = JSON.parse(new TextDecoder().decode(zip['regions.json'])) as RegionsFile;
  const coco = JSON.parse(new TextDecoder().decode(zip['annotations.coco.json'])) as CocoInstances;

  // The fields CVAT's and Label Studio's COCO importers read, one annotation per region.
  expect(coco.categories).toEqual([expect.objectContaining({ id: 1, name: 'anomaly' })]);
  expect(coco.annotations).toHaveLength(regionsFile.images.reduce((n, i) => n + i.regions.length, 0));
  for (const a of coco.annotations) {
    expect(a).toMatchObject({ iscrowd: 0, category_id: 1 });
    expect(Number.isInteger(a.id) && Number.isInteger(a.image_id)).toBe(true);
    expect(a.bbox).toHaveLength(4);
    expect(a.segmentation).toHaveLength(1);
  }
  // a dropped file's path is its name
  const image = coco.images.find((i) => i.file_name === defect);
  expect(image, JSON.stringify(coco.images.map((i) => i.file_name))).toBeDefined();
  const { id, width, height } = image as CocoInstances['images'][number];
  const annotations = coco.annotations.filter((a) => a.image_id === id);
  // The export holds what the detail view shows: the same regions, box for box.
  expect(annotations.map((a) => ({ bbox: a.bbox, area: a.area }))).toEqual(
    shown.map((r) => ({ bbox: r.bbox, area: r.area })),
  );
  // Each polygon fills back to its region: the same pixel count, inside the same box.
  for (const a of annotations) {
    const mask = rasterise(a.segmentation[0], width, height);
    let filled = 0;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    mask.forEach((v, p) => {
      if (!v) return;
      filled += 1;
      const [x, y] = [p % width, Math.floor(p / width)];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    });
    expect([x0, y0, x1 - x0 + 1, y1 - y0 + 1]).toEqual(a.bbox);
    // only the outer boundary is kept: a region with a hole fills back slightly larger
    expect(filled).toBeGreaterThanOrEqual(a.area);
    expect(filled).toBeLessThanOrEqual(a.area * 1.05);
  }
});
