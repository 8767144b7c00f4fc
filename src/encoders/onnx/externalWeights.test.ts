// A large model written in parts and run from where its weights lie: the parts must join into
// exactly what encodeModel writes, and every external reference must point at the bytes of the
// weight it replaced.
import { describe, expect, it } from 'vitest';
import {
  DataLocation,
  decodeModel,
  encodeModel,
  encodeModelParts,
  floatTensor,
  GraphEditor,
  type onnx,
  partsLength,
  readFloats,
  weightsOutside,
} from './index.ts';
import { smallModel } from './onnx.testing.ts';

const seeded = (count: number, seed: number): Float32Array =>
  Float32Array.from({ length: count }, (_, i) => Math.sin(i * seed));

/** smallModel with three unused weights: 256 KB and 80 KB (shared as parts) and 8 KB (outside, but not a part of its own). */
function modelWithWeights(): onnx.IModelProto {
  const model = smallModel();
  const editor = new GraphEditor(model.graph ?? {});
  editor.addInitializer(floatTensor('wide', [256, 256], seeded(65536, 0.37)));
  editor.addInitializer(floatTensor('mid', [20, 1024], seeded(20480, 1.3)));
  editor.addInitializer(floatTensor('small', [2048], seeded(2048, 2.9)));
  return model;
}

const joined = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts);
/** Byte equality; toEqual walks large arrays slowly. */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe('encodeModelParts', () => {
  it('joins into encodeModel’s bytes, handing out the large weights’ own arrays', () => {
    const model = modelWithWeights();
    const parts = encodeModelParts(model);
    const whole = encodeModel(model);
    expect(partsLength(parts)).toBe(whole.length);
    expect(same(joined(parts), whole)).toBe(true);
    const initializer = model.graph?.initializer ?? [];
    const rawOf = (name: string) => initializer.find((t) => t.name === name)?.rawData;
    expect(parts.filter((p) => p === rawOf('wide') || p === rawOf('mid'))).toHaveLength(2);
    expect(parts.includes(rawOf('small') as Uint8Array)).toBe(false);
  });

  it('gives a decoded model’s weights as views of the bytes it was decoded from', () => {
    const bytes = encodeModel(modelWithWeights());
    const parts = encodeModelParts(decodeModel(bytes));
    expect(same(joined(parts), bytes)).toBe(true);
    expect(parts.filter((p) => p.buffer === bytes.buffer && p.length >= 64 * 1024)).toHaveLength(2);
  });

  it('is a single part for a model without large weights', () => {
    const model = smallModel();
    const parts = encodeModelParts(model);
    expect(parts).toHaveLength(1);
    expect(same(parts[0], encodeModel(model))).toBe(true);
  });
});

describe('weightsOutside', () => {
  it('points every weight of 4 KB or more at its bytes where they lie, and leaves the model as it was', () => {
    const bytes = encodeModel(modelWithWeights());
    const model = decodeModel(bytes);
    const before = encodeModel(model);
    const { model: light, files } = weightsOutside(model);
    expect(same(encodeModel(model), before)).toBe(true);
    expect(light.length).toBeLessThan(4096);
    expect(files).toHaveLength(1);
    expect(files[0].data.buffer).toBe(bytes.buffer);

    // the independent truth: the weights of a fresh decode of the original bytes
    const original = new Map((decodeModel(bytes).graph?.initializer ?? []).map((t) => [t.name, t]));
    const tensors = decodeModel(light).graph?.initializer ?? [];
    const outside = tensors.filter((t) => t.dataLocation === DataLocation.EXTERNAL).map((t) => t.name);
    expect(outside.sort()).toEqual(['mid', 'small', 'wide']);
    for (const tensor of tensors) {
      const want = original.get(tensor.name);
      if (tensor.dataLocation !== DataLocation.EXTERNAL) {
        expect(readFloats(tensor)).toEqual(readFloats(want ?? {}));
        continue;
      }
      const entry = Object.fromEntries((tensor.externalData ?? []).map((e) => [e.key, e.value]));
      const file = files.find((f) => f.path === entry.location);
      const at = Number(entry.offset);
      const got = file?.data.subarray(at, at + Number(entry.length));
      expect(tensor.rawData?.length ?? 0).toBe(0);
      expect(same(got ?? new Uint8Array(1), want?.rawData ?? new Uint8Array(0)), tensor.name ?? '').toBe(true);
    }
  });

  it('mounts each buffer the weights lie in once', () => {
    const model = modelWithWeights(); // built tensors: each weight its own buffer
    const { files } = weightsOutside(model);
    expect(files.map((f) => f.data.length).sort((a, b) => a - b)) //
      .toEqual([2048 * 4, 20480 * 4, 65536 * 4]);
  });
});
