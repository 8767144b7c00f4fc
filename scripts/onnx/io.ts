// Reading and writing whole models. Encoding is deterministic: the same message gives the same bytes.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { DataLocation, ModelProto, type onnx } from './proto.ts';

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return ModelProto.decode(bytes);
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return ModelProto.encode(model).finish();
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readModel(path: string): Promise<onnx.ModelProto> {
  let model: onnx.ModelProto;
  try {
    model = decodeModel(await readFile(path));
  } catch (error) {
    throw new Error(`${path} is not a readable ONNX model (${(error as Error).message})`, { cause: error });
  }
  const external = (model.graph?.initializer ?? []).some((t) => t.dataLocation === DataLocation.EXTERNAL);
  if (external)
    throw new Error(
      `${path} keeps its weights in external data files, which this tool does not read: re-export with the weights inside the .onnx`,
    );
  return model;
}

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Writes through a temporary name so a half-written model is never in place. */
export async function writeModel(path: string, model: onnx.IModelProto): Promise<WrittenFile> {
  const bytes = encodeModel(model);
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
  return { path, bytes: bytes.byteLength, sha256: sha256Hex(bytes) };
}
