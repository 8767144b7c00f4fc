// Encoder errors a user can meet, in plain words with what to do next.

export type EncoderErrorCode =
  | 'model-not-installed'
  | 'model-corrupt'
  | 'model-download-failed'
  | 'session-failed'
  | 'bad-output'
  /** a file chosen to add as a model that the page cannot take (empty, too large) */
  | 'model-file-unusable'
  /** the browser's storage quota cannot hold a model being added */
  | 'storage-full';

export class EncoderError extends Error {
  override readonly name = 'EncoderError';
  constructor(
    readonly code: EncoderErrorCode,
    message: string,
  ) {
    super(message);
  }
}
