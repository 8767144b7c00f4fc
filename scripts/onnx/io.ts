// Reading and writing model files in Node; the bytes ⇄ message part is src/encoders/onnx/codec.ts.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { decodeModelFile, encodeModel, type onnx } from '../../src/encoders/onnx/index.ts';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readModel(path: string): Promise<onnx.ModelProto> {
  return decodeModelFile(await readFile(path), path);
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
