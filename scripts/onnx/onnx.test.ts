// What the ONNX library does with Node: model files, and edits checked by running them in onnxruntime-node.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallModel } from '../../src/encoders/onnx/onnx.testing.ts';
import {
  DataLocation,
  DataType,
  GraphEditor,
  GraphIndex,
  appendL2Normalize,
  createModel,
  encodeModel,
  floatTensor,
  readModel,
  runModel,
  valueInfo,
  writeModel,
} from './index.ts';

describe('model files', () => {
  it('writes a model and reads it back; rejects external data and non-models in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onnx-io-'));
    const written = await writeModel(join(dir, 'm.onnx'), smallModel());
    expect(written.bytes).toBe(encodeModel(smallModel()).byteLength);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(encodeModel(await readModel(written.path))).toEqual(encodeModel(smallModel()));

    const external = smallModel();
    external.graph?.initializer?.push({
      name: 'far',
      dataType: DataType.FLOAT,
      dims: [1],
      dataLocation: DataLocation.EXTERNAL,
    });
    await writeModel(join(dir, 'ext.onnx'), external);
    await expect(readModel(join(dir, 'ext.onnx'))).rejects.toThrow(/external data/);
    await writeFile(join(dir, 'junk.onnx'), 'not a model at all');
    await expect(readModel(join(dir, 'junk.onnx'))).rejects.toThrow(/not a readable ONNX model/);
  });
});

describe('GraphEditor', () => {
  it('replaces and removes initializers', async () => {
    const model = smallModel();
    const e = new GraphEditor(model.graph ?? {});
    e.replaceInitializer(floatTensor('c', [4], [0, 0, 0, 10]));
    e.removeInitializer('unused');
    expect(() => e.replaceInitializer(floatTensor('missing', [1], [0]))).toThrow(/no initializer named missing/);
    expect((model.graph?.initializer ?? []).map((t) => t.name)).toEqual(['ln.weight', 'ln.bias', 'c']);
    const out = await runModel(model, { x: { dims: [1, 4], data: new Float32Array([1, 1, 1, 1]) } });
    expect(Array.from(out.y.data)).toEqual([0, 0, 0, 10]);
  });

  it('clones a subgraph onto another input, sharing its constants', async () => {
    const model = smallModel();
    const graph = model.graph ?? {};
    const e = new GraphEditor(graph);
    e.addInput(valueInfo('x2', DataType.FLOAT, ['batch', 4]));
    const index = new GraphIndex(graph);
    const region = ['ln', 'mul', 'add'].map((n) => index.findNodes({ name: n })[0]);
    const renames = e.cloneNodes(
      region,
      new Map([
        ['x', 'x2'],
        ['y', e.claimName('y2')],
      ]),
      '/copy',
    );
    expect(renames.get('n')).toBe('n/copy');
    e.setOutputs([valueInfo('y', DataType.FLOAT), valueInfo('y2', DataType.FLOAT)]);
    const x = { dims: [1, 4], data: new Float32Array([1, 2, 3, 4]) };
    const out = await runModel(model, { x, x2: x });
    expect(out.y2.data).toEqual(out.y.data);
    expect(Array.from(out.y.data).map((v) => Math.round(v * 1000) / 1000)).toEqual([-2.183, -1.394, 1.894, 2.683]);
  });
});

describe('appendL2Normalize', () => {
  it.each([17, 18])('gives unit rows in the input direction at opset %i', async (opset) => {
    const e = new GraphEditor({ name: 'l2' });
    e.addInput(valueInfo('v', DataType.FLOAT, ['batch', 3]));
    appendL2Normalize(e, 'v', 'unit', opset);
    e.setOutputs([valueInfo('unit', DataType.FLOAT)]);
    const out = await runModel(createModel(e.graph, { opset }), {
      v: { dims: [2, 3], data: new Float32Array([3, 0, 4, -1, -2, 2]) },
    });
    expect(Array.from(out.unit.data)).toEqual([0.6, 0, 0.8, -1 / 3, -2 / 3, 2 / 3].map(Math.fround));
  });
});
