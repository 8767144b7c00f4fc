// Encoder errors a user can meet, in plain words with what to do next.

export type EncoderErrorCode =
  'model-not-installed' | 'model-corrupt' | 'model-download-failed' | 'session-failed' | 'bad-output';

export class EncoderError extends Error {
  override readonly name = 'EncoderError';
  constructor(
    readonly code: EncoderErrorCode,
    message: string,
  ) {
    super(message);
  }
}
