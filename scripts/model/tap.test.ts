import { describe, expect, it } from 'vitest';
import {
  GraphEditor,
  GraphIndex,
  DataType,
  appendL2Normalize,
  attr,
  createModel,
  floatTensor,
  maxAbsDiff,
  type onnx,
  randomFloatTensor,
  runModel,
  valueInfo,
} from '../onnx/index.ts';
import { buildVitModel } from '../fixtures/vit-graph.ts';
import { clipFixture, dinov2Fixture, type VitFixtureSpec } from '../fixtures/specs.ts';
import { tapModel } from './tap.ts';

const exportOf = (spec: VitFixtureSpec, layerNorm: 'fused' | 'decomposed' = 'fused') =>
  buildVitModel(spec, { form: 'export', layerNorm });
const familyOf = (spec: VitFixtureSpec) => spec.family;

/** Largest difference over every output of the directly built tapped fixture. */
async function differenceFromFixture(spec: VitFixtureSpec, tapped: onnx.IModelProto): Promise<number> {
  const feeds = { pixel_values: randomFloatTensor([3, 3, spec.size, spec.size], 42) };
  const want = await runModel(buildVitModel(spec, { form: 'tapped' }), feeds);
  const got = await runModel(tapped, feeds);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  return Math.max(...Object.keys(want).map((name) => maxAbsDiff(got[name], want[name])));
}

/** What an exporter that kept no names would give: opaque node, tensor and initializer names. */
function stripNames(model: onnx.IModelProto): onnx.IModelProto {
  const graph = model.graph ?? {};
  const keep = new Set([...(graph.input ?? []), ...(graph.output ?? [])].map((v) => v.name ?? ''));
  const renames = new Map<string, string>();
  const rename = (t: string) =>
    keep.has(t) || t === '' ? t : (renames.get(t) ?? renames.set(t, `t${renames.size}`).get(t) ?? t);
  for (const t of graph.initializer ?? []) t.name = rename(t.name ?? '');
  for (const node of graph.node ?? []) {
    node.name = '';
    node.input = (node.input ?? []).map(rename);
    node.output = (node.output ?? []).map(rename);
  }
  return model;
}

describe('tapModel on the fixture exports', () => {
  it.each([clipFixture, dinov2Fixture])(
    '$id: taps and embedding equal the directly built fixture exactly',
    async (spec) => {
      const tapped = await tapModel(exportOf(spec), { family: familyOf(spec) });
      expect(await differenceFromFixture(spec, tapped.model)).toBe(0);
      expect(tapped.taps.map((t) => [t.name, t.block, t.grid, t.dim, t.registers])).toEqual(
        [0, 1, 2, 3].map((b) => [`layer_${b}`, b, spec.size / spec.patch, spec.dim, 0]),
      );
      expect(tapped).toMatchObject({ blockCount: 4, patch: spec.patch, size: spec.size, inputName: 'pixel_values' });
      // CLIP's last block output is renamed last_hidden_state by the exporter, so its names confirm 3 of 4 blocks
      expect(tapped.namesConfirmed).toBe(spec.family === 'clip' ? 3 : 4);
      expect(tapped.normalizationAdded).toBe(spec.family === 'clip');
      const outputs = (tapped.model.graph?.output ?? []).map((o) => o.name);
      expect(outputs).toEqual(['layer_0', 'layer_1', 'layer_2', 'layer_3', 'image_embedding']);
    },
  );

  it.each([clipFixture, dinov2Fixture])(
    '$id: finds the blocks by structure when every name is stripped',
    async (spec) => {
      const tapped = await tapModel(stripNames(exportOf(spec)), { family: familyOf(spec) });
      expect(tapped.namesConfirmed).toBe(0);
      expect(await differenceFromFixture(spec, tapped.model)).toBe(0);
    },
  );

  it.each([clipFixture, dinov2Fixture])(
    '$id: understands the decomposed LayerNorm of opset-14 exports',
    async (spec) => {
      const tapped = await tapModel(exportOf(spec, 'decomposed'), { family: familyOf(spec) });
      // Different op order (ReduceMean/Sub/Pow… against LayerNormalization): equal to float rounding.
      expect(await differenceFromFixture(spec, tapped.model)).toBeLessThan(2e-5);
      const index = new GraphIndex(tapped.model.graph ?? {});
      expect(index.findNodes({ op: 'LayerNormalization' })).toEqual([]);
    },
  );

  it('taps only the blocks asked for', async () => {
    const tapped = await tapModel(exportOf(clipFixture), { family: 'clip', layers: [2, 0] });
    expect(tapped.taps.map((t) => t.block)).toEqual([0, 2]);
    const feeds = { pixel_values: randomFloatTensor([1, 3, 56, 56], 3) };
    const want = await runModel(buildVitModel(clipFixture, { form: 'tapped' }), feeds);
    const got = await runModel(tapped.model, feeds);
    expect(Object.keys(got)).toEqual(['layer_0', 'layer_2', 'image_embedding']);
    expect(maxAbsDiff(got.layer_2, want.layer_2)).toBe(0);
    expect(maxAbsDiff(got.image_embedding, want.image_embedding)).toBe(0);
  });

  it('copies the final norm for each DINO tap but the last, sharing its weights', async () => {
    const exported = exportOf(dinov2Fixture);
    const tapped = await tapModel(exportOf(dinov2Fixture), { family: 'dinov2' });
    // 3 LayerNorm copies, an Identity for the last tap (the final norm's own output) and one for the embedding
    expect(tapped.model.graph?.node?.length).toBe((exported.graph?.node?.length ?? 0) + 3 + 2);
    expect(tapped.model.graph?.initializer?.length).toBe(exported.graph?.initializer?.length);
  });

  it('keeps an export that already normalises its embedding as it is', async () => {
    const model = exportOf(clipFixture);
    const editor = new GraphEditor(model.graph ?? {});
    appendL2Normalize(editor, 'image_embeds', 'image_embeds_normalized', 17);
    editor.setOutputs([
      valueInfo('last_hidden_state', DataType.FLOAT),
      valueInfo('image_embeds_normalized', DataType.FLOAT),
    ]);
    const tapped = await tapModel(model, { family: 'clip' });
    expect(tapped.normalizationAdded).toBe(false);
    expect(await differenceFromFixture(clipFixture, tapped.model)).toBe(0);
  });

  it('fixes a dynamic input size to --size and checks it against the patch', async () => {
    const dynamic = () => {
      const model = exportOf(dinov2Fixture);
      model.graph = {
        ...model.graph,
        input: [valueInfo('pixel_values', DataType.FLOAT, ['batch_size', 3, 'height', 'width'])],
      };
      return model;
    };
    await expect(tapModel(dynamic(), { family: 'dinov2' })).rejects.toThrow(
      /input size is dynamic: pass --size \(a multiple of the patch size, 14\)/,
    );
    await expect(tapModel(dynamic(), { family: 'dinov2', size: 100 })).rejects.toThrow(
      /100 is not a multiple of the patch size 14/,
    );
    const tapped = await tapModel(dynamic(), { family: 'dinov2', size: 112 });
    expect(tapped.model.graph?.input?.[0]).toEqual(
      valueInfo('pixel_values', DataType.FLOAT, ['batch_size', 3, 112, 112]),
    );
    await expect(tapModel(exportOf(dinov2Fixture), { family: 'dinov2', size: 224 })).rejects.toThrow(
      /--size 224 conflicts with the export's fixed input size 112/,
    );
  });
});

describe('tapModel refuses graphs it does not understand, in one line', () => {
  it('a CNN (no LayerNorm)', async () => {
    const e = new GraphEditor({ name: 'cnn' });
    e.addInput(valueInfo('image', DataType.FLOAT, [1, 3, 32, 32]));
    e.addInitializer(floatTensor('w', [8, 3, 4, 4], new Float32Array(8 * 3 * 16)));
    e.addNode({
      op: 'Conv',
      inputs: ['image', 'w'],
      outputs: ['c'],
      attributes: [attr.ints('kernel_shape', [4, 4]), attr.ints('strides', [4, 4])],
    });
    e.addNode({ op: 'Relu', inputs: ['c'], outputs: ['r'] });
    e.setOutputs([valueInfo('r', DataType.FLOAT)]);
    await expect(tapModel(createModel(e.graph, { opset: 17 }), { family: 'clip' })).rejects.toThrow(
      /^the graph has no LayerNorm .*not a ViT export this tool understands$/,
    );
  });

  it('the wrong family', async () => {
    await expect(tapModel(exportOf(clipFixture), { family: 'dinov2' })).rejects.toThrow(
      /no LayerNorm on the last block output.*use --family clip/,
    );
    await expect(tapModel(exportOf(dinov2Fixture), { family: 'clip' })).rejects.toThrow(
      /no LayerNorm on the CLS token after the last block.*not a CLIP vision export/,
    );
  });

  it('CLIPVisionModel without the projection', async () => {
    const model = exportOf(clipFixture);
    const graph = model.graph ?? {};
    graph.node = (graph.node ?? []).filter((n) => n.name !== '/visual_projection/MatMul');
    graph.output = [
      valueInfo('last_hidden_state', DataType.FLOAT),
      valueInfo('/vision_model/post_layernorm/LayerNormalization_output_0', DataType.FLOAT),
    ];
    await expect(tapModel(model, { family: 'clip' })).rejects.toThrow(
      /export CLIPVisionModelWithProjection, not CLIPVisionModel/,
    );
  });

  it('names that contradict the structure', async () => {
    const model = exportOf(dinov2Fixture);
    for (const node of model.graph?.node ?? []) {
      node.output = (node.output ?? []).map((t) =>
        t.replace('/encoder/layer.1/Add_1_output_0', '/encoder/layer.7/Add_1_output_0'),
      );
      node.input = (node.input ?? []).map((t) =>
        t.replace('/encoder/layer.1/Add_1_output_0', '/encoder/layer.7/Add_1_output_0'),
      );
    }
    await expect(tapModel(model, { family: 'dinov2' })).rejects.toThrow(
      /puts \/encoder\/layer.7\/Add_1_output_0 in block 1, but its name says block 7/,
    );
  });
});
