// `npm run model -- quantize <modelDir> [--dtypes fp16,int8-weight,int8-dynamic] [--check-images DIR]`
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { QUANTIZED_DTYPES, type QuantizedDtype } from '../../src/encoders/import/quantize/variants.ts';
import { quantizeModel } from './quantize.ts';
import { defaultCheckImageDir, selectCheckImages } from './variant-check-images.ts';

const usage = `<modelDir> [--dtypes ${QUANTIZED_DTYPES.join(',')}] [--check-images DIR]`;

export function parseDtypes(value: string | undefined): QuantizedDtype[] {
  if (value === undefined) return [...QUANTIZED_DTYPES];
  const dtypes = value.split(',').map((d) => d.trim());
  const unknown = dtypes.filter((d) => !(QUANTIZED_DTYPES as string[]).includes(d));
  if (unknown.length > 0 || dtypes.length === 0)
    throw new Error(`--dtypes ${value}: expected a comma-separated list of ${QUANTIZED_DTYPES.join(', ')}`);
  return dtypes as QuantizedDtype[];
}

export const quantizeCommand: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { dtypes: { type: 'string' }, 'check-images': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new Error(`usage: quantize ${usage}`);
    const dtypes = parseDtypes(values.dtypes);
    const imageDir = values['check-images'] ?? defaultCheckImageDir();
    let checkImages: string[];
    try {
      checkImages = await selectCheckImages(imageDir);
    } catch (error) {
      throw new Error(
        `cannot list check images in ${imageDir} (${error instanceof Error ? error.message : String(error)}); pass --check-images DIR`,
        { cause: error },
      );
    }
    if (checkImages.length === 0) throw new Error(`no images in ${imageDir}; pass --check-images DIR`);
    console.log(`checking on ${checkImages.length} images from ${imageDir}`);
    const manifest = await quantizeModel(positionals[0], { dtypes, checkImages });
    const recorded = manifest.variants.map((v) => v.dtype).join(', ');
    console.log(`${manifest.id}: variants recorded: ${recorded}`);
  },
};
