// Which blocks to tap and what the tapped outputs are called: shared by the tap tool and the
// fixtures, so a directly built fixture and a tapped export name their outputs alike.
import { TapError } from './errors.ts';

export const embeddingOutputName = 'image_embedding';

/** Output name of the tap on the 0-based block `block`. */
export function tapOutputName(block: number): string {
  return `layer_${block}`;
}

/** MuSc's rule: 4 evenly spaced blocks ending with the last ([2,5,8,11] of 12, [5,11,17,23] of 24). */
export function defaultTapBlocks(blockCount: number): number[] {
  const blocks = [1, 2, 3, 4].map((k) => Math.round((blockCount * k) / 4) - 1).filter((b) => b >= 0);
  return [...new Set(blocks)];
}

/** Parses `--layers 2,5,8,11` (0-based block indices, any order). */
export function parseLayerList(value: string): number[] {
  const blocks = value.split(',').map((part) => Number(part.trim()));
  if (blocks.some((b) => !Number.isInteger(b) || b < 0))
    throw new Error(`--layers ${value}: expected 0-based block indices such as 2,5,8,11`);
  return blocks;
}

/** The blocks to tap, ascending, checked against the model's block count. */
export function checkTapBlocks(blocks: readonly number[], blockCount: number): number[] {
  const outside = blocks.find((b) => !Number.isInteger(b) || b < 0 || b >= blockCount);
  if (outside !== undefined)
    throw new TapError(
      'unsupported',
      `layer ${outside} does not exist: the model has ${blockCount} blocks (0 to ${blockCount - 1})`,
    );
  if (new Set(blocks).size !== blocks.length)
    throw new TapError('unsupported', `layers [${blocks.join(',')}] name a block twice`);
  return [...blocks].sort((a, b) => a - b);
}
