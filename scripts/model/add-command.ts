// `npm run model -- add <name> [--from <file.onnx>] [--size S] [--layers …] [--models-dir DIR]`: taps
// and installs the model, builds its checked quantized variants and checks every WebGPU variant
// against WASM (where Chromium is at hand), like `npm install` does for the catalog models.
import { parseArgs } from 'node:util';
import { writeModelIndex } from './modelIndex.ts';
import { modelsDir } from '../files/paths.ts';
import { ensureVariants } from './variants.ts';
import { checkWebGpuVariants } from './webgpuCheck.ts';
import { addModel } from './add.ts';
import { catalogEntry, modelCatalog } from './catalog.ts';
import type { Command } from './command.ts';
import { parseSize } from './tap-command.ts';
import { parseLayerList } from '../../src/encoders/import/tapPlan.ts';
import { summarize } from './tapped-folder.ts';

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
    const added = await addModel({
      entry: catalogEntry(positionals[0]),
      modelsDir: values['models-dir'] ?? modelsDir,
      from: values.from,
      size: parseSize(values.size),
      layers: values.layers === undefined ? undefined : parseLayerList(values.layers),
      log: (line) => console.error(line),
    });
    for (const line of summarize(added.tapped, added.manifest, added.dir)) console.log(line);
    const log = (line: string) => console.error(line);
    await ensureVariants([added.dir], log);
    await checkWebGpuVariants(values['models-dir'] ?? modelsDir, log);
    const index = await writeModelIndex(values['models-dir'] ?? modelsDir);
    console.log(`default model: ${index.default}`);
  },
};
