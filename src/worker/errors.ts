// Turns anything a handler throws into a code and a plain-words message that says what to do.
import { EncoderError } from '../encoders/errors.ts';
import { ImportError } from '../encoders/import/index.ts';
import { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { MuscError } from '../engine/errors.ts';
import type { WorkerErrorPayload } from './protocol.ts';

const OUT_OF_MEMORY =
  /out of memory|allocation failed|Array buffer allocation|invalid (typed )?array length|memory access out of bounds|Cannot enlarge memory|failed to allocate/i;

export function toPayload(err: unknown): WorkerErrorPayload {
  if (err instanceof MuscError || err instanceof EncoderError || err instanceof ImportError)
    return { code: err.code, message: err.message };
  if (err instanceof ImageFileError)
    return { code: 'corrupt-image', message: `${err.message}. Remove it from the batch and run again.` };
  if (err instanceof DOMException && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  const text = err instanceof Error ? err.message : String(err);
  if (OUT_OF_MEMORY.test(text)) {
    return {
      code: 'out-of-memory',
      message:
        'The browser ran out of memory for this batch. Score fewer images at once, pick a smaller input size or fewer layers, or close other tabs, then run again.',
    };
  }
  return { code: 'internal', message: `Something went wrong inside MuScope: ${text}. Reload the page and try again.` };
}
