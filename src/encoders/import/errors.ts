// Why an export cannot become a model. TapError is what the graph search says, in the tap tool's
// words (which name its command-line options, and which the CLI prints); importModel turns it into
// an ImportError whose message names the file and says what to do, in words the page can show.

export type ImportErrorCode = 'not-onnx' | 'truncated' | 'missing-data' | 'not-a-vit' | 'dynamic-shape' | 'unsupported';

/** The codes the graph search itself can give (the bytes were an ONNX model). */
export type TapErrorCode = Exclude<ImportErrorCode, 'not-onnx' | 'truncated' | 'missing-data'>;

export class TapError extends Error {
  override readonly name = 'TapError';
  constructor(
    readonly code: TapErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
