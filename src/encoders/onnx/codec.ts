// Model bytes ⇄ messages. Encoding is deterministic: the same message gives the same bytes.
// Reading and writing files (and their sha256) is the caller's: scripts/onnx/io.ts in Node.
import { DataLocation, ModelProto, type onnx } from './proto.ts';

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return ModelProto.decode(bytes);
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return ModelProto.encode(model).finish();
}

/** A file's bytes as consecutive parts; the large ones are the weights' own bytes, not copies. */
export type FileParts = readonly Uint8Array[];

/** Bytes fields at least this long are handed out as they are. */
const SHARED_PART_BYTES = 64 * 1024;

/** protobufjs's pending writes (Writer.finish runs each into one buffer): what encodeModelParts walks. */
interface WriteOp {
  fn: (value: unknown, buffer: Uint8Array, at: number) => void;
  len: number;
  val: unknown;
  next?: WriteOp;
}

/**
 * encodeModel's bytes, in parts: each large bytes field (a weight's raw data) is its own part,
 * the very array the message holds, and the bytes between them are encoded into small parts.
 * A model of several hundred MB is thus written out without a second copy of its weights.
 */
export function encodeModelParts(model: onnx.IModelProto): Uint8Array[] {
  const writer = ModelProto.encode(model);
  // Writer in the browser, BufferWriter (Buffer-backed) in Node: its own alloc suits its writes
  const alloc = (writer.constructor as unknown as { alloc(size: number): Uint8Array }).alloc;
  const parts: Uint8Array[] = [];
  let pending: WriteOp[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pendingBytes === 0) return;
    const part = alloc(pendingBytes);
    let at = 0;
    for (const op of pending) {
      op.fn(op.val, part, at);
      at += op.len;
    }
    parts.push(part);
    pending = [];
    pendingBytes = 0;
  };
  for (let op = (writer.head as WriteOp).next; op; op = op.next) {
    if (op.val instanceof Uint8Array && op.len === op.val.length && op.len >= SHARED_PART_BYTES) {
      flush();
      parts.push(op.val);
    } else {
      pending.push(op);
      pendingBytes += op.len;
    }
  }
  flush();
  return parts;
}

/** The total length of a file in parts. */
export const partsLength = (parts: FileParts): number => parts.reduce((n, p) => n + p.length, 0);

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
