// A model whose large initializers refer to where their bytes already lie, as external data, for
// onnxruntime-web: given the light graph and those buffers mounted as its data files, the runtime
// copies each weight straight into its memory. Handed the whole encoded model instead, it would
// hold a copy of the file and the copy its protobuf parser makes besides the weights it runs
// with, and the page a copy of the model to hand it (README: "Adding a model in the page").
import { encodeModel } from './codec.ts';
import { DataLocation, type onnx } from './proto.ts';

/** Weights smaller than this stay inside the graph: not worth an entry each. */
const MIN_EXTERNAL_BYTES = 4096;

export interface WeightsOutside {
  /** the encoded graph, its large weights left out */
  model: Uint8Array;
  /** the data files it refers to: each a whole buffer some weights lie in */
  files: { path: string; data: Uint8Array }[];
}

/** Where an external tensor's bytes lie: the external_data entries ONNX defines, read. */
export function externalPlace(tensor: onnx.ITensorProto): { location: string; offset: number; length: number | null } {
  const entry = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const number = (key: string): number | null => (entry.has(key) ? Number(entry.get(key)) : null);
  return { location: entry.get('location') ?? '', offset: number('offset') ?? 0, length: number('length') };
}

/** Makes `tensor` external, its `length` bytes at `offset` of file `location`, and drops its raw data. */
export function placeOutside(tensor: onnx.ITensorProto, location: string, offset: number, length: number): void {
  tensor.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: String(offset) },
    { key: 'length', value: String(length) },
  ];
  tensor.dataLocation = DataLocation.EXTERNAL;
  Reflect.deleteProperty(tensor, 'rawData');
}

/** `model` as a light graph and the buffers its large raw initializers are views of; `model` itself is left as it was. */
export function weightsOutside(model: onnx.IModelProto): WeightsOutside {
  const paths = new Map<ArrayBufferLike, string>();
  const initializer = (model.graph?.initializer ?? []).map((tensor) => {
    const raw = tensor.rawData;
    if (!raw || raw.length < MIN_EXTERNAL_BYTES) return tensor;
    let path = paths.get(raw.buffer);
    if (path === undefined) paths.set(raw.buffer, (path = `weights-${paths.size}.bin`));
    const outside = { ...tensor };
    placeOutside(outside, path, raw.byteOffset, raw.length);
    return outside;
  });
  const light = encodeModel({ ...model, graph: { ...model.graph, initializer } });
  const files = [...paths].map(([buffer, path]) => ({ path, data: new Uint8Array(buffer) }));
  return { model: light, files };
}
