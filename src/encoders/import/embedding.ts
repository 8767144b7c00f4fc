// The image embedding RsCIN uses (docs/method.md §2): CLIP's projected CLS token (post_layernorm →
// projection), DINO's CLS token after the final LayerNorm. Found by structure from the last block.
import {
  type GraphEditor,
  type GraphIndex,
  attr,
  int64Tensor,
  intAttr,
  nodeInputs,
  nodeOutputs,
  type onnx,
  readIntegers,
  tensorDims,
} from '../onnx/index.ts';
import { TapError } from './errors.ts';
import type { NormRegion } from './layerNorms.ts';

const out = (node: onnx.INodeProto): string => nodeOutputs(node)[0] ?? '';

function constantInts(index: GraphIndex, name: string | undefined): number[] | undefined {
  const t = name ? index.constant(name) : undefined;
  return t ? readIntegers(t) : undefined;
}

/** x[:, 0] or x[:, 0:1]: selects the CLS token */
function selectsCls(index: GraphIndex, node: onnx.INodeProto): boolean {
  const inputs = nodeInputs(node);
  if (node.opType === 'Gather')
    return (intAttr(node, 'axis') ?? 0) === 1 && constantInts(index, inputs[1])?.join() === '0';
  if (node.opType === 'Slice') {
    const axes = constantInts(index, inputs[3]);
    return (
      constantInts(index, inputs[1])?.join() === '0' &&
      constantInts(index, inputs[2])?.join() === '1' &&
      axes?.join() === '1'
    );
  }
  return false;
}

/** The final LayerNorm applied to the whole last-block output (DINO, DINOv2). */
export function findFinalNorm(norms: NormRegion[], lastBlockOutput: string): NormRegion {
  const norm = norms.find((n) => n.input === lastBlockOutput);
  if (!norm)
    throw new TapError(
      'not-a-vit',
      'no LayerNorm on the last block output: DINO/DINOv2 exports end in one (is this a CLIP export? use --family clip)',
    );
  return norm;
}

/** DINO: the CLS token of the final norm's output, reusing the export's own x[:, 0] when it has one. */
export function clsOfFinalNorm(index: GraphIndex, editor: GraphEditor, finalNorm: NormRegion): string {
  // a Gather: a Slice would keep the token axis ([B, 1, D])
  const existing = index.consumers(finalNorm.output).find((n) => n.opType === 'Gather' && selectsCls(index, n));
  if (existing) return out(existing);
  const zero = editor.addConstant(
    editor.uniqueName('cls_index'),
    int64Tensor('', [], [0]),
    editor.uniqueName('cls_index/Constant'),
  );
  const cls = editor.uniqueName('cls_token');
  editor.addNode({
    op: 'Gather',
    inputs: [finalNorm.output, zero],
    outputs: [cls],
    name: editor.uniqueName('cls_token/Gather'),
    attributes: [attr.int('axis', 1)],
  });
  return cls;
}

const reshapes = new Set(['Squeeze', 'Reshape', 'Flatten']);

/** CLIP: the projection applied to post_layernorm(CLS); returns the export's embedding output downstream of it, else the projection itself. */
export function clipEmbedding(index: GraphIndex, norms: NormRegion[], lastBlockOutput: string): string {
  const clsTensors = index
    .consumers(lastBlockOutput)
    .filter((n) => selectsCls(index, n))
    .map(out);
  for (const t of [...clsTensors])
    clsTensors.push(
      ...index
        .consumers(t)
        .filter((n) => reshapes.has(n.opType ?? ''))
        .map(out),
    );
  const postNorm = norms.find((n) => clsTensors.includes(n.input));
  if (!postNorm)
    throw new TapError(
      'not-a-vit',
      'no LayerNorm on the CLS token after the last block (post_layernorm): not a CLIP vision export (use --family dinov2 or dino?)',
    );
  const projection = index.consumers(postNorm.output).find((n) => {
    const weight = index.constant(nodeInputs(n)[1]);
    return (n.opType === 'MatMul' || n.opType === 'Gemm') && weight !== undefined && tensorDims(weight).length === 2;
  });
  if (!projection)
    throw new TapError(
      'unsupported',
      'no visual projection after post_layernorm: export CLIPVisionModelWithProjection, not CLIPVisionModel',
    );
  // The export may normalise the projection itself; the caller checks by running it.
  let frontier = [out(projection)];
  for (let depth = 0; depth < 3; depth++) {
    const found = frontier.find((t) => index.isGraphOutput(t));
    if (found) return found;
    frontier = frontier.flatMap((t) => index.consumers(t).map(out));
  }
  return out(projection);
}
