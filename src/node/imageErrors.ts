// A file the user pointed at that cannot be used, with a message that names it and says why.

export type ImageProblem = 'not-an-image' | 'corrupt' | 'too-small' | 'too-large' | 'unreadable';

export class ImageFileError extends Error {
  override readonly name = 'ImageFileError';
  constructor(
    readonly path: string,
    readonly problem: ImageProblem,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
