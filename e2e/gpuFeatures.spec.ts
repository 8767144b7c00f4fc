import { expect, test } from '@playwright/test';
import { dropFiles } from '../tooling/browser/pages/appPage.ts';
import { bottleImages, expectState, shownResults } from '../tooling/browser/pages/batch.ts';

// On WebGPU our kernels resample the encoder's CNN maps on the GPU and average the embedding
// there; the taps come back for the scoring session, whose pairs run in the GPU's feature slots.
// The same batch scored again on WASM (encoder and kernels on the CPU) must give the same scores. MobileNetV2
// (CNN maps, embedding averaged from a tap) and the DINOv2 fixture (tokens after a CLS token,
// embedding from its own output) keep this affordable on SwiftShader.
for (const MODEL of ['mobilenetv2-imagenet-trunk', 'fixture-dinov2-vit']) {
  test(`${MODEL}: taps made and scored on the GPU score as the CPU path does`, async ({ page }, info) => {
    test.skip(info.project.name !== 'webgpu', 'needs the SwiftShader WebGPU adapter of the webgpu project');
    test.setTimeout(1_200_000);
    await page.addInitScript((modelId) => {
      localStorage.setItem(
        'muscope-preferences',
        JSON.stringify({ state: { backendPreference: 'webgpu', modelId }, version: 0 }),
      );
    }, MODEL);
    await page.goto('/');
    await expectState(page, 'idle', 300_000);
    await expect(page.getByTestId('model')).toHaveText(MODEL);
    await expect(page.getByTestId('backend')).toHaveText('webgpu');

    const images = bottleImages();
    await dropFiles(page, [
      ...images.filter((i) => i.defective).slice(0, 3),
      ...images.filter((i) => !i.defective).slice(0, 3),
    ]);
    await expectState(page, 'done', 900_000);
    await expect(page.getByTestId('scored-on')).toHaveAttribute('data-on', 'webgpu');
    const onGpu = new Map((await shownResults(page)).map((r) => [r.name, r.score]));

    await page.getByTestId('settings-toggle').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 300_000 });
    await page.getByTestId('run').click();
    await expectState(page, 'done', 300_000);
    await expect(page.getByTestId('scored-on')).toHaveAttribute('data-on', 'wasm');
    const onCpu = await shownResults(page);

    expect(onCpu).toHaveLength(6);
    const worst = Math.max(...onCpu.map((r) => Math.abs(r.score - (onGpu.get(r.name) ?? NaN))));
    console.log(`${MODEL}: largest |WebGPU − WASM| image score: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
}
