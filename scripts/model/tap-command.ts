// `npm run model -- tap <export.onnx> --out <dir> [--family clip|dinov2|dino] [--layers …] [--id ID] [--size S]`:
// model.onnx and manifest.json through importModel (src/encoders/import), the family found by structure unless given.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../onnx/index.ts';
import type { Command } from './command.ts';
import { parseFamily } from '../../src/encoders/import/families.ts';
import { parseLayerList } from '../../src/encoders/import/tapPlan.ts';
import { importIntoFolder, readExport, wroteLine } from './import-folder.ts';

export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`--size ${value}: expected a positive whole number of pixels`);
  return size;
}

const usage = '<export.onnx> --out <dir> [--family clip|dinov2|dino] [--layers 2,5,8,11] [--id ID] [--size S]';

export const tapCommand: Command = {
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        family: { type: 'string' },
        out: { type: 'string' },
        layers: { type: 'string' },
        id: { type: 'string' },
        size: { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.out) throw new Error(`usage: tap ${usage}`);
    const file = positionals[0];
    const family = values.family === undefined ? undefined : parseFamily(values.family);
    const layers = values.layers === undefined ? undefined : parseLayerList(values.layers);
    const size = parseSize(values.size);
    const { bytes, dataFiles } = await readExport(file);
    const id = values.id ?? basename(resolve(values.out));
    const { manifest } = await importIntoFolder(values.out, {
      bytes,
      dataFiles,
      fileName: basename(file),
      id,
      displayName: id,
      family,
      layers,
      size,
      checkImages: [],
      dtypes: [], // taps only: `quantize` builds the variants
      source: `tapped from ${basename(file)} (sha256 ${sha256Hex(bytes)})`,
      onLine: (line) => console.log(line),
    });
    console.log(wroteLine(values.out, manifest));
  },
};
