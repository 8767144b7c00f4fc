// Which ViT family an export is, read from its structure (node names are not trusted: exporters
// rename, strip or keep them at will). The three differ where their Hugging Face code does:
// - CLIP (CLIPVisionModelWithProjection): a LayerNorm between the embeddings' position Add and
//   the first block (pre_layrnorm), and post_layernorm + the visual projection on the CLS token;
// - DINOv2 (Dinov2Model): LayerScale, a per-channel Mul, on both residual branches of every block;
// - DINO (ViTModel): neither; like DINOv2 it ends in a LayerNorm over the whole last block output.
import { type GraphIndex, nodeInputs, type onnx, tensorDims } from '../onnx/index.ts';
import { clipEmbedding } from './embedding.ts';
import { ImportError, TapError } from './errors.ts';
import type { VitFamily } from './families.ts';
import { findVit, type VitStructure } from './tap.ts';

export const familyLabels: Record<VitFamily, string> = { clip: 'CLIP', dino: 'DINO', dinov2: 'DINOv2' };

/** What tells each family apart, in words. */
export const familyMarks: Record<VitFamily, string> = {
  clip: 'a LayerNorm before the first block and a projection after the last',
  dinov2: 'LayerScale on every residual branch and a LayerNorm on the last block output',
  dino: 'a LayerNorm on the last block output and no LayerScale',
};

/** `tensor` is x · γ with γ a constant per-channel vector ([D], or [1, …, 1, D]). */
function isLayerScale(index: GraphIndex, tensor: string): boolean {
  const mul = index.producer(tensor);
  if (mul?.opType !== 'Mul') return false;
  const constants = nodeInputs(mul).map((i) => index.constant(i));
  const gamma = constants.find((c) => c !== undefined);
  if (!gamma || constants.every((c) => c !== undefined)) return false;
  const dims = tensorDims(gamma);
  return dims.length > 0 && dims[dims.length - 1] > 1 && dims.slice(0, -1).every((d) => d === 1);
}

/** CLIP's pre_layrnorm: the stream enters the first block from a LayerNorm of the embeddings' position Add. */
function hasPreNorm(vit: VitStructure): boolean {
  const norm = vit.norms.find((n) => n.output === vit.stream.input);
  return norm !== undefined && vit.index.producer(norm.input)?.opType === 'Add';
}

/** The family of a ViT found by findVit; throws TapError when none fits. */
export function familyOf(vit: VitStructure): VitFamily {
  const { index, norms, stream } = vit;
  const last = stream.blocks[stream.blocks.length - 1].output;
  if (hasPreNorm(vit)) {
    // throws when post_layernorm or the projection is missing (CLIPVisionModel has no projection)
    clipEmbedding(index, norms, last);
    return 'clip';
  }
  if (!norms.some((n) => n.input === last))
    throw new TapError(
      'not-a-vit',
      'it is neither CLIP (a LayerNorm before the first block, a projection after the last) nor DINO (a LayerNorm on the last block output)',
    );
  const branches = stream.blocks.flatMap((b) => b.branches);
  const scaled = branches.filter((t) => isLayerScale(index, t)).length;
  if (scaled === branches.length) return 'dinov2';
  if (scaled === 0) return 'dino';
  throw new TapError(
    'not-a-vit',
    `LayerScale on ${scaled} of ${branches.length} residual branches: DINOv2 has it on every branch, DINO on none`,
  );
}

/** The words an ImportError of `code` starts and ends with around what the graph search found. */
export function importErrorOf(error: TapError, fileName: string): ImportError {
  const { code, message } = error;
  const words =
    code === 'not-a-vit'
      ? `${fileName} is not a ViT image encoder MuScope can import: ${message}. Add the ONNX export of a CLIP or DINO vision model alone (Hugging Face CLIPVisionModelWithProjection, Dinov2Model, or ViTModel for DINO, as optimum or torch.onnx export them).`
      : `${fileName} cannot be imported: ${message}.`;
  return new ImportError(code, words, { cause: error });
}

/**
 * The family of a CLIP or DINO export, by structure. Throws ImportError: 'not-a-vit' when none
 * fits, 'unsupported' for a ViT that cannot be tapped (CLIPVisionModel without its projection,
 * names that contradict the structure). `fileName` names the file in the message.
 */
export function detectFamily(model: onnx.IModelProto, fileName = 'the model'): VitFamily {
  if (!model.graph) throw new ImportError('not-onnx', `${fileName} holds no graph: it is not an ONNX model.`);
  try {
    return familyOf(findVit(model.graph));
  } catch (error) {
    if (error instanceof TapError) throw importErrorOf(error, fileName);
    throw error;
  }
}
