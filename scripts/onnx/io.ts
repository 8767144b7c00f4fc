// Reading and writing model files in Node; the bytes ⇄ message part is src/encoders/onnx/codec.ts.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { decodeModelFile, encodeModel, type FileParts, type onnx } from '../../src/encoders/onnx/index.ts';

/** Of a file's bytes, whole or in parts (encodeModelParts). */
export function sha256Hex(bytes: Uint8Array | FileParts): string {
  const hash = createHash('sha256');
  for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) hash.update(part);
  return hash.digest('hex');
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
