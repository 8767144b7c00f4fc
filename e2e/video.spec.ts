import { expect, test, type Page } from '@playwright/test';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, expectState, shownResults, snapForDocs } from '../tooling/browser/pages/batch.ts';

// Video files: a WebM recorded in the page (MediaRecorder) from the 12 demo bottle images, one per
// second, is sampled at 2 frames per second and scored as one batch; its timeline ranks the
// frames of the defective bottles on top. On WASM: the UI is under test, not the backend.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(info.project.name !== 'wasm', 'videos are checked on WASM');
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

/** Records the images as a WebM, one per second, on a canvas in the page; returns it as base64. */
async function recordWebm(page: Page, images: readonly Buffer[]): Promise<Buffer> {
  const base64 = await page.evaluate(
    async (encoded) => {
      const bitmaps = await Promise.all(
        encoded.map((b) => createImageBitmap(new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))]))),
      );
      const canvas = document.createElement('canvas');
      canvas.width = bitmaps[0].width;
      canvas.height = bitmaps[0].height;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(bitmaps[0], 0, 0);
      const recorder = new MediaRecorder(canvas.captureStream(15), {
        mimeType: 'video/webm;codecs=vp8',
        videoBitsPerSecond: 8_000_000,
      });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start();
      const start = performance.now();
      // Redrawn at 15 fps: the stream takes a frame when the canvas is painted.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const index = Math.floor((performance.now() - start) / 1000);
          if (index >= bitmaps.length) {
            clearInterval(timer);
            resolve();
            return;
          }
          context.drawImage(bitmaps[index], 0, 0);
        }, 1000 / 15);
      });
      recorder.stop();
      await stopped;
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    images.map((b) => b.toString('base64')),
  );
  return Buffer.from(base64, 'base64');
}

interface ShownFrame {
  time: number;
  score: number;
}

const shownFrames = (page: Page): Promise<ShownFrame[]> =>
  page
    .getByTestId('frame')
    .evaluateAll((points) =>
      points.map((p) => ({ time: Number(p.getAttribute('data-time')), score: Number(p.getAttribute('data-score')) })),
    );

test('a video recorded from the demo images is sampled, scored, and its defective frames rank on top', async ({
  page,
}, info) => {
  const images = bottleImages();
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  const webm = await recordWebm(
    page,
    images.map((i) => i.bytes),
  );
  info.annotations.push({ type: 'recorded video bytes', description: String(webm.length) });

  await dropFiles(page, [{ name: 'parts.webm', bytes: webm, type: 'video/webm' }]);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toBeVisible({ timeout: 120_000 });
  await expectState(page, 'done', 240_000);
  const frames = await shownFrames(page);
  // 12 s at 2 frames per second (the recorder may stop a few milliseconds past the 12th second).
  expect(frames.length).toBeGreaterThanOrEqual(23);
  expect(frames.length).toBeLessThanOrEqual(25);
  expect(frames.every((f) => Number.isFinite(f.score))).toBe(true);
  await expect(page.getByTestId('result')).toHaveCount(frames.length);

  // Second s shows images[s]; a frame at the switch from defective to good shows either.
  const defectiveSeconds = images.flatMap((image, s) => (image.defective ? [s] : []));
  const switches = images.flatMap((image, s) => (s > 0 && image.defective !== images[s - 1].defective ? [s] : []));
  const clear = frames.filter((f) => switches.every((s) => Math.abs(f.time - s) > 0.2));
  const isDefective = (f: ShownFrame) => defectiveSeconds.includes(Math.floor(f.time));
  const ranked = [...clear].sort((a, b) => b.score - a.score);
  const defectiveCount = clear.filter(isDefective).length;
  console.log(
    `frames by score: ${ranked.map((f) => `${f.time}s ${f.score.toFixed(3)}${isDefective(f) ? ' D' : ''}`).join(', ')}`,
  );
  info.annotations.push({
    type: 'frames by score (time: score)',
    description: ranked.map((f) => `${f.time}: ${f.score.toFixed(3)}${isDefective(f) ? ' D' : ''}`).join(', '),
  });
  expect(defectiveCount).toBeGreaterThanOrEqual(10);
  expect(ranked.slice(0, defectiveCount).every(isDefective)).toBe(true);

  await test.step('the timeline shows the threshold, and a point opens its frame in the detail view', async () => {
    await expect(page.getByTestId('timeline-threshold')).toHaveCount(1);
    await snapForDocs(page, 'video-timeline');
    const top = ranked[0];
    await page.locator(`[data-testid="frame"][data-time="${top.time}"]`).click();
    await expect(page.getByTestId('detail')).toBeVisible();
    await expect(page.getByTestId('detail')).toContainText(`parts.webm@${top.time}s.png`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('detail')).toHaveCount(0);
  });
  const shown = await shownResults(page);
  expect(shown[0].name).toBe(`parts.webm@${ranked[0].time}s.png`);
});

test('a video the browser cannot play and an empty one are listed with a plain reason; the page still works', async ({
  page,
}) => {
  await page.goto('/');
  await expectState(page, 'idle', 120_000);
  await dropFiles(page, [
    {
      name: 'bad.webm',
      bytes: Buffer.from('this is not a video at all, just some text'.repeat(50)),
      type: 'video/webm',
    },
    { name: 'empty.mp4', bytes: Buffer.alloc(0), type: 'video/mp4' },
  ]);
  await expect(page.locator('[data-testid="skipped-file"][data-name="bad.webm"]')).toContainText(
    'this browser cannot play this video',
    { timeout: 60_000 },
  );
  await expect(page.locator('[data-testid="skipped-file"][data-name="bad.webm"]')).toContainText(
    'try MP4/H.264 or WebM',
  );
  await expect(page.locator('[data-testid="skipped-file"][data-name="empty.mp4"]')).toContainText('the video is empty');
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  console.log(`skipped: ${(await page.getByTestId('skipped-file').allInnerTexts()).join(' | ')}`);

  await dropFiles(page, bottleImages());
  await expectState(page, 'done', 240_000);
  await expect(page.getByTestId('result')).toHaveCount(12);
});
