// A file handed over in parts (src/encoders/onnx encodeModelParts: the large parts are a model's
// weights where they lie) hashed and streamed as it is, never joined: joining a 400 MB model, or
// handing it whole to crypto.subtle.digest (which copies its input), would hold it twice.
import { createSHA256 } from 'hash-wasm';
import type { FileParts } from '../../encoders/onnx/index.ts';

/** Bytes per chunk, hashed and streamed at a time. */
const CHUNK = 1 << 20;

function* chunksOf(parts: FileParts): Generator<Uint8Array> {
  for (const part of parts)
    for (let at = 0; at < part.length; at += CHUNK) yield part.subarray(at, Math.min(at + CHUNK, part.length));
}

/** Hex sha256 of the parts joined, computed a chunk at a time (hash-wasm: SHA-256 in WebAssembly, incremental). */
export async function sha256OfParts(parts: FileParts): Promise<string> {
  const hash = await createSHA256();
  hash.init();
  for (const chunk of chunksOf(parts)) hash.update(chunk);
  return hash.digest('hex');
}

/** The parts as a stream of copied chunks: what is enqueued may be handed to another process, never the parts themselves. */
export function streamOfParts(parts: FileParts): ReadableStream<Uint8Array<ArrayBuffer>> {
  const chunks = chunksOf(parts);
  return new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value.slice());
    },
  });
}
