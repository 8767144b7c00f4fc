// Errors a user can meet, each with a plain-words message and what to do next.

export type MuscErrorCode =
  'too-few-images' | 'rscin-too-few-images' | 'invalid-config' | 'invalid-input' | 'batch-too-large' | 'cancelled';

export class MuscError extends Error {
  override readonly name = 'MuscError';
  constructor(
    readonly code: MuscErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MuscError('cancelled', 'Scoring was cancelled. The results computed so far are kept.');
}
