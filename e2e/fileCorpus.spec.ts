import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dropFiles, rememberWasmBackend } from '../tooling/browser/pages/appPage.ts';
import { DEMO_ROOT, expectState, shownResults } from '../tooling/browser/pages/batch.ts';

// The page's own decoder against files as they come from the field, made by Pillow (Debian's
// python3-pil, which .ci/run installs) from one real good bottle: each readable variant is
// scored, each broken file is listed with its reason, and a drop of only broken files says so.

test.use({ viewport: { width: 1440, height: 900 } });
test.beforeEach(async ({ page }, info) => {
  test.skip(
    info.project.metadata.backend !== 'wasm',
    'decoding is checked where the page runs on WASM: Chromium and Firefox',
  );
  test.setTimeout(300_000);
  await rememberWasmBackend(page);
});

// The variants of one good bottle come from the messy batch's script; these are the extras.
const EXTRAS = `
import sys
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
im = Image.open(src).convert('RGB')
# a 900×600 crop stored sideways (600×900 pixels) with EXIF orientation 6 (rotate 90° clockwise to view)
crop = im.crop((0, 150, 900, 750)).transpose(Image.Transpose.ROTATE_90)
exif = Image.Exif(); exif[0x0112] = 6
crop.save(f'{out}/exif-rotated.jpg', quality=95, exif=exif.tobytes())
# the readable variants' own good bottles, so the batch has enough images to score
for n in range(1, 4):
    Image.open(src.replace('000.png', f'00{n}.png')).save(f'{out}/good-{n}.png')
# a valid PNG with no extension: the content decides, not the name
open(f'{out}/photo-without-extension', 'wb').write(open(src.replace('000.png', '004.png'), 'rb').read())
Image.new('RGB', (1, 1), (128, 128, 128)).save(f'{out}/one-pixel.png')
open(f'{out}/truncated.png', 'wb').write(open(src, 'rb').read()[:5000])
open(f'{out}/truncated.jpg', 'wb').write(open(f'{out}/copy-cmyk.jpg', 'rb').read()[:2000])
# a JPEG cut in half: Firefox draws its top half unless the page checks for its end marker
im.save(f'{out}/whole.jpg', quality=90)
whole = open(f'{out}/whole.jpg', 'rb').read()
open(f'{out}/half.jpg', 'wb').write(whole[:len(whole) // 2])
open(f'{out}/notes.png', 'w').write('not an image at all')
open(f'{out}/empty.webp', 'wb').close()
`;

function corpus(): { dir: string; files: Array<{ name: string; bytes: Buffer; type: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'muscope-corpus-'));
  const good = join(DEMO_ROOT, 'test', 'good', '000.png');
  execFileSync('/usr/bin/python3', [join(import.meta.dirname, '../scripts/fixtures/messy_batch.py'), good, dir]);
  execFileSync('/usr/bin/python3', ['-c', EXTRAS, good, dir]);
  const types: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };
  const files = readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)), type: types[name.split('.').pop() ?? ''] ?? '' }));
  return { dir, files };
}

const BROKEN: Record<string, RegExp> = {
  'truncated.jpg': /ends before its end-of-image marker/,
  'half.jpg': /ends before its end-of-image marker/,
  'truncated.png': /ends before its IEND chunk/,
  'one-pixel.png': /1×1 px; images must be at least 8×8 px/,
  'notes.png': /not an image/i,
  'empty.webp': /empty \(0 bytes\)/,
};

test('field files: WebP, CMYK, RGBA, grayscale, 16-bit, EXIF-rotated, huge and extensionless images are scored; broken ones are listed with why', async ({
  page,
}) => {
  const { dir, files } = corpus();
  try {
    await page.goto('/');
    await expectState(page, 'idle', 120_000);
    await dropFiles(page, files);
    await expectState(page, 'done', 240_000);
    const readable = files.filter((f) => !(f.name in BROKEN)).map((f) => f.name);
    const shown = await shownResults(page);
    expect(shown.map((r) => r.name).sort()).toEqual(readable.sort());
    expect(shown.every((r) => Number.isFinite(r.score))).toBe(true);
    for (const [name, reason] of Object.entries(BROKEN))
      await expect(page.locator(`[data-testid="skipped-file"][data-name="${name}"]`)).toContainText(reason);

    // EXIF orientation applied: the file's 600×900 pixels are shown upright, 900 wide and 600 high
    await page.locator('[data-testid="result"][data-name="exif-rotated.jpg"] .card-open').click();
    await expect(page.getByTestId('detail')).toContainText('900×600 px');
    await page.keyboard.press('Escape');
    // the 12000×9000 image was read (shrunk on decode), not refused
    await page.locator('[data-testid="result"][data-name="dark-huge.png"] .card-open').click();
    await expect(page.getByTestId('detail')).toContainText('12000×9000 px');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a drop of only broken files lists each with its reason and scores nothing', async ({ page }) => {
  const { dir, files } = corpus();
  try {
    await page.goto('/');
    await expectState(page, 'idle', 120_000);
    await dropFiles(
      page,
      files.filter((f) => f.name in BROKEN),
    );
    for (const [name, reason] of Object.entries(BROKEN))
      await expect(page.locator(`[data-testid="skipped-file"][data-name="${name}"]`)).toContainText(reason);
    await expect(page.getByTestId('result')).toHaveCount(0);
    await expect(page.getByTestId('status')).not.toHaveAttribute('data-state', 'error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
