// Fetches a model's manifest and files from our own origin (installed models) or from the
// origin's storage (models added in the page, addedModels.ts), with byte progress, and verifies
// each file's sha256 before it is handed to onnxruntime: a corrupt file is never used.
import { EncoderError } from '../../encoders/errors.ts';
import type { ModelManifest, ModelVariant } from '../../encoders/manifest.ts';
import { addedFile, addedManifest, isAddedModel } from './addedModels.ts';

export const MODELS_BASE = `${import.meta.env?.BASE_URL ?? '/'}models/`;

export async function fetchManifest(modelId: string): Promise<ModelManifest> {
  if (isAddedModel(modelId)) {
    const manifest = await addedManifest(modelId);
    if (!manifest)
      throw new EncoderError(
        'model-not-installed',
        `Model "${modelId}" is no longer stored in this browser (it was removed, or the browser cleared the site's storage). Add it again from Settings → "Add a model…".`,
      );
    return manifest;
  }
  const response = await fetch(`${MODELS_BASE}${encodeURIComponent(modelId)}/manifest.json`);
  if (!response.ok) {
    throw new EncoderError(
      'model-not-installed',
      `Model "${modelId}" is not installed on this site. Run \`npm install\` (it installs the models), or add it with \`npm run model -- add\`.`,
    );
  }
  return (await response.json()) as ModelManifest;
}

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function fetchVariant(
  modelId: string,
  variant: ModelVariant,
  onBytes: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const url = `${MODELS_BASE}${encodeURIComponent(modelId)}/${variant.file}`;
  let response: Response;
  try {
    response = isAddedModel(modelId)
      ? ((await addedFile(modelId, variant.file)) ?? new Response(null, { status: 404 }))
      : await fetch(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new EncoderError(
      'model-download-failed',
      `Could not download ${variant.file} of "${modelId}" (${String(err)}). Check the connection, or reload once online so it is cached for offline use.`,
    );
  }
  if (!response.ok || !response.body) {
    throw new EncoderError(
      'model-not-installed',
      isAddedModel(modelId)
        ? `${variant.file} of "${modelId}" is no longer stored in this browser. Remove the model in Settings and add it again.`
        : `${variant.file} of "${modelId}" is missing on this site (HTTP ${response.status}). Run \`npm install\` again.`,
    );
  }
  const buffer = new Uint8Array(variant.bytes);
  const offset = await readInto(response.body, buffer, (done) => onBytes(done, variant.bytes));
  if (offset === null) throw corrupt(modelId, variant, 'it is larger than the manifest says');
  if (offset !== variant.bytes) throw corrupt(modelId, variant, `it has ${offset} of ${variant.bytes} bytes`);
  if ((await sha256Hex(buffer.buffer)) !== variant.sha256) throw corrupt(modelId, variant, 'its sha256 does not match');
  return buffer.buffer;
}

/**
 * Reads `stream` into `into` chunk by chunk, calling onBytes with the bytes read so far; resolves
 * with how many it read, or null as soon as the stream holds more than `into` can.
 */
export async function readInto(
  stream: ReadableStream<Uint8Array>,
  into: Uint8Array,
  onBytes: (done: number) => void,
  signal?: AbortSignal,
): Promise<number | null> {
  const reader = stream.getReader();
  let offset = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { done, value } = await reader.read();
    if (done) return offset;
    if (offset + value.length > into.length) return null;
    into.set(value, offset);
    offset += value.length;
    onBytes(offset);
  }
}

function corrupt(modelId: string, variant: ModelVariant, why: string): EncoderError {
  return new EncoderError(
    'model-corrupt',
    `${variant.file} of "${modelId}" is corrupt (${why}) and was not used. ${
      isAddedModel(modelId)
        ? 'Remove the model in Settings and add it again.'
        : 'Run `npm install` to repair the installed models.'
    }`,
  );
}
