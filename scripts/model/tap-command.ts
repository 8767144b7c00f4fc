// `npm run model -- tap <export.onnx> --family clip|dinov2|dino --out <dir> [--layers …] [--id ID] [--size S]`
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256File } from '../../src/platform/node/sha256File.ts';
import { readModel } from '../onnx/index.ts';
import type { Command } from './command.ts';
import { parseFamily } from '../../src/encoders/import/families.ts';
import { tapModel } from './tap.ts';
import { parseLayerList } from '../../src/encoders/import/tapPlan.ts';
import { summarize, writeTappedModel } from './tapped-folder.ts';

export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0)
    throw new Error(`--size ${value}: expected a positive whole number of pixels`);
  return size;
}

const usage = '<export.onnx> --family clip|dinov2|dino --out <dir> [--layers 2,5,8,11] [--id ID] [--size S]';

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
    const family = parseFamily(values.family);
    const tapped = await tapModel(await readModel(file), {
      family,
      layers: values.layers === undefined ? undefined : parseLayerList(values.layers),
      size: parseSize(values.size),
    });
    const id = values.id ?? basename(resolve(values.out));
    const manifest = await writeTappedModel(values.out, tapped, {
      id,
      displayName: id,
      license: 'unknown: see the source export',
      source: `tapped from ${basename(file)} (sha256 ${await sha256File(file)})`,
    });
    for (const line of summarize(tapped, manifest, values.out)) console.log(line);
  },
};
