// Finds a pre-LN transformer's blocks by graph structure: a residual Add is an Add whose one input
// (the stream) feeds a LayerNorm from which the other input (the branch) is computed. The
// residual Adds chain along the stream, two per block (attention, then MLP). Tensor names only
// confirm what the structure says.
import { type GraphIndex, nodeInputs, nodeOutputs } from '../onnx/index.ts';
import { TapError } from './errors.ts';
import type { NormRegion } from './layerNorms.ts';

export interface Block {
  /** 0-based, in stream order */
  index: number;
  /** the stream after the attention residual */
  attentionResidual: string;
  /** the stream after the MLP residual: the block output MuSc taps */
  output: string;
  /** what each residual Add adds to the stream: the attention and the MLP branch (LayerScale'd in DINOv2) */
  branches: [string, string];
}

export interface ResidualStream {
  /** the stream entering the first block: the embeddings (after CLIP's pre_layrnorm) */
  input: string;
  blocks: Block[];
  /** blocks whose two residual tensor names (`….{i}/Add_output_0`, `….{i}/Add_1_output_0`) agree with the structure */
  namesConfirmed: number;
}

interface Residual {
  stream: string;
  branch: string;
  output: string;
}

function findResiduals(index: GraphIndex, norms: NormRegion[]): Residual[] {
  const normsOn = new Map<string, NormRegion[]>();
  for (const n of norms) normsOn.set(n.input, [...(normsOn.get(n.input) ?? []), n]);
  const residuals: Residual[] = [];
  for (const add of index.findNodes({ op: 'Add' })) {
    const [a, b] = nodeInputs(add);
    const other = (s: string) => (s === a ? b : a);
    const stream = [a, b].find((s) => (normsOn.get(s) ?? []).some((norm) => index.dependsOn(other(s), norm.output)));
    if (stream !== undefined) residuals.push({ stream, branch: other(stream), output: nodeOutputs(add)[0] });
  }
  return residuals;
}

function chainOf(residuals: Residual[]): Residual[] {
  const outputs = new Set(residuals.map((r) => r.output));
  const starts = residuals.filter((r) => !outputs.has(r.stream));
  if (starts.length !== 1) {
    throw new TapError(
      'not-a-vit',
      `found ${starts.length} separate residual streams where a ViT image encoder has one (a combined text+vision export?)`,
    );
  }
  const byStream = new Map(residuals.map((r) => [r.stream, r]));
  const chain: Residual[] = [];
  for (let r: Residual | undefined = starts[0]; r; r = byStream.get(r.output)) chain.push(r);
  if (chain.length !== residuals.length)
    throw new TapError(
      'not-a-vit',
      `${residuals.length - chain.length} residual Adds branch off the stream: not a plain ViT`,
    );
  if (chain.length % 2 !== 0)
    throw new TapError('not-a-vit', `found ${chain.length} residual Adds; a ViT block has two (attention and MLP)`);
  return chain;
}

const exporterName = /\.(\d+)\/(Add|Add_1)_output_0$/;

/** true when both names confirm the block; throws when a name gives another block index. */
function namesConfirm(block: Block): boolean {
  const expected: [string, string][] = [
    [block.attentionResidual, 'Add'],
    [block.output, 'Add_1'],
  ];
  let confirmed = 0;
  for (const [name, op] of expected) {
    const match = exporterName.exec(name);
    if (!match) continue;
    if (Number(match[1]) !== block.index) {
      throw new TapError(
        'unsupported',
        `the graph structure puts ${name} in block ${block.index}, but its name says block ${match[1]}: refusing to guess`,
      );
    }
    if (match[2] === op) confirmed++;
  }
  return confirmed === expected.length;
}

export function findResidualStream(index: GraphIndex, norms: NormRegion[]): ResidualStream {
  if (norms.length === 0)
    throw new TapError(
      'not-a-vit',
      'the graph has no LayerNorm (neither LayerNormalization nor its ReduceMean/Sub/Pow/… form): not a ViT export this tool understands',
    );
  const residuals = findResiduals(index, norms);
  if (residuals.length === 0)
    throw new TapError('not-a-vit', 'no residual Add skips a LayerNorm branch: not a pre-LN transformer');
  const chain = chainOf(residuals);
  const blocks: Block[] = [];
  for (let i = 0; i < chain.length / 2; i++)
    blocks.push({
      index: i,
      attentionResidual: chain[2 * i].output,
      output: chain[2 * i + 1].output,
      branches: [chain[2 * i].branch, chain[2 * i + 1].branch],
    });
  return { input: chain[0].stream, blocks, namesConfirmed: blocks.filter(namesConfirm).length };
}
