// Model bytes ⇄ messages. Encoding is deterministic: the same message gives the same bytes.
// Reading and writing files (and their sha256) is the caller's: scripts/onnx/io.ts in Node.
import { DataLocation, ModelProto, type onnx } from './proto.ts';

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return ModelProto.decode(bytes);
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return ModelProto.encode(model).finish();
}

/**
 * Decodes a model file's bytes, refusing what is not an ONNX model and a model whose weights
 * live in external data files; `label` (the file's path or name) names it in the errors.
 */
export function decodeModelFile(bytes: Uint8Array, label: string): onnx.ModelProto {
  let model: onnx.ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new Error(`${label} is not a readable ONNX model (${(error as Error).message})`, { cause: error });
  }
  const external = (model.graph?.initializer ?? []).some((t) => t.dataLocation === DataLocation.EXTERNAL);
  if (external)
    throw new Error(
      `${label} keeps its weights in external data files, which this tool does not read: re-export with the weights inside the .onnx`,
    );
  return model;
}
