import { describe, expect, it } from 'vitest';
import { decodeModel, nodeInputs, nodeOutputs } from '../onnx/index.ts';
import { detectFamily } from './detectFamily.ts';
import { ImportError } from './errors.ts';
import { CLIP, DINOV2, bypass, dinoV1, edited, exportBytes, layerScales } from './exports.testing.ts';

describe('detectFamily', () => {
  it('tells CLIP, DINOv2 and DINO apart by structure', () => {
    expect(detectFamily(decodeModel(exportBytes(CLIP)))).toBe('clip');
    expect(detectFamily(decodeModel(exportBytes(DINOV2)))).toBe('dinov2');
    expect(detectFamily(decodeModel(dinoV1()))).toBe('dino');
  });

  it('reads no names: the DINOv2 export with every node and tensor renamed is still DINOv2', () => {
    const renamed = decodeModel(exportBytes(DINOV2));
    const names = new Map<string, string>();
    const keep = new Set(['pixel_values', 'last_hidden_state', 'pooler_output']);
    const rename = (t: string) =>
      keep.has(t) || !t ? t : (names.get(t) ?? names.set(t, `t${names.size}`).get(t) ?? t);
    for (const t of renamed.graph?.initializer ?? []) t.name = rename(t.name ?? '');
    for (const n of renamed.graph?.node ?? []) {
      n.name = '';
      n.input = nodeInputs(n).map(rename);
      n.output = nodeOutputs(n).map(rename);
    }
    expect(detectFamily(renamed)).toBe('dinov2');
  });

  it('refuses a ViT that is none of the three, naming the file', () => {
    const noPreNorm = edited(CLIP, (model) => {
      const graph = model.graph ?? {};
      const preNorm = (graph.node ?? []).find((n) => n.name?.includes('pre_layrnorm'));
      if (preNorm) bypass(graph, preNorm);
    });
    expect(() => detectFamily(decodeModel(noPreNorm), 'no-pre.onnx')).toThrow(
      /^no-pre\.onnx is not a ViT image encoder MuScope can import: it is neither CLIP .* nor DINO .*\. Add the ONNX export of a CLIP or DINO vision model alone/,
    );
    const partial = edited(DINOV2, (model) => {
      const graph = model.graph ?? {};
      bypass(graph, layerScales(graph)[0]);
    });
    const error = (() => {
      try {
        return detectFamily(decodeModel(partial));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({
      code: 'not-a-vit',
      message: expect.stringMatching(/LayerScale on 7 of 8 residual branches/),
    });
  });

  it('refuses CLIPVisionModel, which has no projection', () => {
    const noProjection = edited(CLIP, (model) => {
      const graph = model.graph ?? {};
      graph.node = (graph.node ?? []).filter((n) => n.name !== '/visual_projection/MatMul');
    });
    expect(() => detectFamily(decodeModel(noProjection), 'vision.onnx')).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message:
          'vision.onnx cannot be imported: no visual projection after post_layernorm: export CLIPVisionModelWithProjection, not CLIPVisionModel.',
      }),
    );
  });
});
