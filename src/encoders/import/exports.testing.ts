// The fixture exports (public/models/fixture-*/export.onnx, written by `npm install`) and the
// edits the import's tests make to them, for what an exporter could also have written.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelManifest } from '../manifest.ts';
import { decodeModel, encodeModel, nodeInputs, nodeOutputs, type onnx, placeOutside } from '../onnx/index.ts';

export const modelsDir = resolve(import.meta.dirname, '../../../public/models');
export const CLIP = 'fixture-clip-vit';
export const DINOV2 = 'fixture-dinov2-vit';

export const exportBytes = (id: string): Uint8Array => readFileSync(resolve(modelsDir, id, 'export.onnx'));
export const fixtureManifest = (id: string): ModelManifest =>
  JSON.parse(readFileSync(resolve(modelsDir, id, 'manifest.json'), 'utf8')) as ModelManifest;

/** The fixture export `id` after `edit`. */
export function edited(id: string, edit: (model: onnx.ModelProto) => void): Uint8Array {
  const model = decodeModel(exportBytes(id));
  edit(model);
  return encodeModel(model);
}

/** Removes `node`, feeding its first input to whatever read its output. */
export function bypass(graph: onnx.IGraphProto, node: onnx.INodeProto): void {
  const [input, output] = [nodeInputs(node)[0], nodeOutputs(node)[0]];
  graph.node = (graph.node ?? []).filter((n) => n !== node);
  for (const n of graph.node) n.input = nodeInputs(n).map((t) => (t === output ? input : t));
}

/** The fixture's LayerScale Muls (x · block.layer_scaleN.lambda1); the import itself never reads names. */
export const layerScales = (graph: onnx.IGraphProto): onnx.INodeProto[] =>
  (graph.node ?? []).filter((n) => n.opType === 'Mul' && n.input?.[1]?.endsWith('lambda1'));

/** The DINOv2 fixture without LayerScale: a DINO (ViTModel) export in all that the import can see. */
export const dinoV1 = (): Uint8Array =>
  edited(DINOV2, (model) => {
    const graph = model.graph ?? {};
    for (const mul of layerScales(graph)) bypass(graph, mul);
  });

/**
 * The fixture export `id` as torch.onnx writes one with `save_as_external_data`: every weight of
 * 1 KB or more moved, one after another, into one data file `location` beside the graph.
 */
export function withExternalData(id: string, location: string): { graph: Uint8Array; data: Uint8Array } {
  const model = decodeModel(exportBytes(id));
  const moved: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph?.initializer ?? []) {
    const raw = tensor.rawData;
    if (!raw || raw.length < 1024) continue;
    placeOutside(tensor, location, offset, raw.length);
    moved.push(raw);
    offset += raw.length;
  }
  return { graph: encodeModel(model), data: Uint8Array.from(Buffer.concat(moved)) };
}
