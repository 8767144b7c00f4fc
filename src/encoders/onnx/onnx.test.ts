import { describe, expect, it } from 'vitest';
import {
  DataType,
  GraphEditor,
  GraphIndex,
  createModel,
  decodeModel,
  encodeModel,
  float16Tensor,
  floatTensor,
  int32Tensor,
  int64Tensor,
  int8Tensor,
  uint8Tensor,
  nodeOutputs,
  type onnx,
  pruneGraph,
  readFloats,
  readIntegers,
  sortGraph,
  topologicalOrder,
  valueInfo,
} from './index.ts';
import { smallModel } from './onnx.testing.ts';

const names = (nodes: onnx.INodeProto[]): string[] => nodes.map((n) => n.name ?? '');

describe('tensors', () => {
  it('round-trips float32, int64, int8 and float16 values through raw_data', () => {
    const floats = new Float32Array([0, -1.5, 3.25, 1e-8, -0]);
    expect(readFloats(floatTensor('f', [5], floats))).toEqual(floats);
    expect(readIntegers(int64Tensor('i', [2, 2], [-1, 0, 2 ** 40, 3]))).toEqual([-1, 0, 2 ** 40, 3]);
    expect(readIntegers(int8Tensor('q', [3], new Int8Array([-128, 0, 127])))).toEqual([-128, 0, 127]);
    expect(readIntegers(int32Tensor('i32', [2], [-7, 2 ** 30]))).toEqual([-7, 2 ** 30]);
    expect(readIntegers(uint8Tensor('u8', [2], new Uint8Array([0, 255])))).toEqual([0, 255]);
    const half = float16Tensor('h', [2], new Uint16Array([0x3c00, 0xc000]));
    expect(Array.from(half.rawData ?? [])).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  });

  it('reads the typed-field form too, and survives an encode/decode (unaligned Buffer views)', () => {
    const model = smallModel();
    model.graph?.initializer?.push({ name: 'typed', dataType: DataType.FLOAT, dims: [2], floatData: [1.5, -2] });
    model.graph?.initializer?.push({ name: 'typed64', dataType: DataType.INT64, dims: [1], int64Data: [-9] });
    const decoded = decodeModel(encodeModel(model));
    const init = (n: string) => decoded.graph?.initializer?.find((t) => t.name === n) ?? {};
    expect(Array.from(readFloats(init('typed')))).toEqual([1.5, -2]);
    expect(readIntegers(init('typed64'))).toEqual([-9]);
    expect(Array.from(readFloats(init('c')))).toEqual([0.5, -0.5, 1, 0]);
  });

  it('refuses values that do not fill the dims', () => {
    expect(() => floatTensor('bad', [2, 2], [1, 2, 3])).toThrow(/3 values do not fill dims \[2,2\]/);
  });
});

describe('model files', () => {
  it('encodes deterministically and decodes back to the same bytes', () => {
    const bytes = encodeModel(smallModel());
    expect(encodeModel(smallModel())).toEqual(bytes);
    expect(encodeModel(decodeModel(bytes))).toEqual(bytes);
  });
});

describe('GraphIndex', () => {
  const index = new GraphIndex(smallModel().graph ?? {});

  it('knows producers, consumers, constants and real inputs', () => {
    expect(index.producer('m')?.name).toBe('mul');
    expect(names(index.consumers('x'))).toEqual(['ln', 'relu']);
    expect(readFloats(index.constant('two') ?? {})).toEqual(new Float32Array([2]));
    expect(readFloats(index.constant('c') ?? {})).toEqual(new Float32Array([0.5, -0.5, 1, 0]));
    expect(index.constant('n')).toBeUndefined();
    expect(index.inputs).toEqual(['x']);
    expect(index.isGraphOutput('y')).toBe(true);
  });

  it('finds nodes by op, input, output and name', () => {
    expect(names(index.findNodes({ op: 'Add' }))).toEqual(['add']);
    expect(names(index.findNodes({ input: 'x' }))).toEqual(['ln', 'relu']);
    expect(names(index.findNodes({ output: 'z' }))).toEqual(['relu']);
    expect(names(index.findNodes({ name: /^(mul|add)$/ }))).toEqual(['mul', 'add']);
    expect(index.findNodes({ op: 'Add', input: 'x' })).toEqual([]);
  });

  it('follows data dependence backwards', () => {
    expect(index.dependsOn('y', 'x')).toBe(true);
    expect(index.dependsOn('y', 'two')).toBe(true);
    expect(index.dependsOn('z', 'n')).toBe(false);
  });
});

describe('topology', () => {
  it('orders nodes producers first, keeping the original order among ready nodes', () => {
    const graph = smallModel().graph ?? {};
    graph.node = [...(graph.node ?? [])].reverse();
    expect(names(topologicalOrder(graph))).toEqual(['relu', 'two_node', 'ln', 'mul', 'add']);
    sortGraph(graph);
    const seen = new Set(['x', 'ln.weight', 'ln.bias', 'c']);
    for (const node of graph.node ?? []) {
      for (const input of node.input ?? []) expect(seen.has(input), input).toBe(true);
      nodeOutputs(node).forEach((t) => seen.add(t));
    }
  });

  it('rejects a cycle', () => {
    const e = new GraphEditor({});
    e.addNode({ op: 'Relu', inputs: ['b'], outputs: ['a'] });
    e.addNode({ op: 'Relu', inputs: ['a'], outputs: ['b'] });
    expect(() => topologicalOrder(e.graph)).toThrow(/cycle/);
  });

  it('prunes what no output needs, initializers included', () => {
    const graph = smallModel().graph ?? {};
    pruneGraph(graph);
    expect(names(graph.node ?? [])).toEqual(['ln', 'two_node', 'mul', 'add']);
    expect((graph.initializer ?? []).map((t) => t.name)).toEqual(['ln.weight', 'ln.bias', 'c']);
  });
});

describe('GraphEditor', () => {
  it('hands out unique names and refuses to claim a taken one', () => {
    const e = new GraphEditor(smallModel().graph ?? {});
    expect(e.uniqueName('y')).toBe('y_1');
    expect(e.uniqueName('y')).toBe('y_2');
    expect(e.uniqueName('fresh')).toBe('fresh');
    expect(() => e.claimName('n')).toThrow(/already has a tensor or node named n/);
  });

  it('edits decoded graphs, whose absent repeated fields are frozen shared arrays', () => {
    const decoded = decodeModel(encodeModel(createModel({ name: 'empty' }, { opset: 17 })));
    const e = new GraphEditor(decoded.graph ?? {});
    e.addInput(valueInfo('x', DataType.FLOAT, [1]));
    e.addNode({ op: 'Relu', inputs: ['x'], outputs: ['y'] });
    expect(e.nodes).toHaveLength(1);
  });
});
