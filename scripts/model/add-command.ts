// `npm run model -- add <name> [--from <file.onnx>] [--size S] [--layers …] [--models-dir DIR]`: taps
// and installs the model with its checked quantized variants (importModel, the page's pipeline)
// and checks every WebGPU variant against WASM (where Chromium is at hand), like `npm install`
// does for the catalog models.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeModelIndex } from './modelIndex.ts';
import { modelsDir } from '../files/paths.ts';
import { checkWebGpuVariants } from './webgpuCheck.ts';
import { addModel } from './add.ts';
import { catalogEntry, modelCatalog } from './catalog.ts';
import type { Command } from './command.ts';
import { parseSize } from './tap-command.ts';
import { parseLayerList } from '../../src/encoders/import/tapPlan.ts';
import { QUANTIZED_DTYPES } from '../../src/encoders/import/quantize/variants.ts';
import { wroteLine } from './import-folder.ts';
import { decodeCheckImages, defaultCheckImageDir, selectCheckImages } from './variant-check-images.ts';

const usage = `<${modelCatalog.map((e) => e.name).join('|')}> [--from <file.onnx>] [--size S] [--layers 2,5,8,11] [--models-dir DIR]`;

export const addCommand: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        size: { type: 'string' },
        layers: { type: 'string' },
        'models-dir': { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new Error(`usage: add ${usage}`);
    const entry = catalogEntry(positionals[0]);
    const log = (line: string) => console.error(line);
    const imageDir = defaultCheckImageDir();
    const checkImages = existsSync(imageDir) ? await decodeCheckImages(await selectCheckImages(imageDir)) : undefined;
    if (!checkImages)
      log(`quantized variants skipped: their check images (${imageDir}) are missing; models are offered in fp32.`);
    const added = await addModel({
      entry,
      modelsDir: values['models-dir'] ?? modelsDir,
      from: values.from,
      size: parseSize(values.size),
      layers: values.layers === undefined ? undefined : parseLayerList(values.layers),
      checkImages,
      log,
      onLine: (line) => console.log(line),
      onProgress: ({ stage, done }) => {
        if (stage === 'variants' && done === 0)
          log(`building and checking ${QUANTIZED_DTYPES.join(', ')} of ${entry.name}…`);
      },
    });
    console.log(wroteLine(added.dir, added.manifest));
    await checkWebGpuVariants(values['models-dir'] ?? modelsDir, log);
    const index = await writeModelIndex(values['models-dir'] ?? modelsDir);
    console.log(`default model: ${index.default}`);
  },
};
