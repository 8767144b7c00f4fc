// Quantized variants (fp16, int8 weight-only, int8 dynamic), built and checked against fp32 on
// real images before a manifest offers them: for the pinned models at install, and for a model
// `npm run model -- add` installs. Needs the check images (../shared/data); without them the
// models are offered in fp32 only, and we say so.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { QUANTIZED_DTYPES } from '../../src/encoders/import/quantize/variants.ts';
import { quantizeModel } from './quantize.ts';
import { defaultCheckImageDir, selectCheckImages } from './variant-check-images.ts';

/** Builds and checks the variants the model in each of `dirs` lacks. */
export async function ensureVariants(dirs: string[], log: (l: string) => void): Promise<void> {
  const imageDir = defaultCheckImageDir();
  if (!existsSync(imageDir)) {
    log(`quantized variants skipped: their check images (${imageDir}) are missing; models are offered in fp32.`);
    return;
  }
  const checkImages = await selectCheckImages(imageDir);
  for (const dir of dirs) {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
    const missing = QUANTIZED_DTYPES.filter((d) => !manifest.variants.some((v) => v.dtype === d));
    if (missing.length === 0) continue;
    log(`building and checking ${missing.join(', ')} of ${manifest.id}…`);
    await quantizeModel(dir, { dtypes: missing, checkImages, log });
  }
}
