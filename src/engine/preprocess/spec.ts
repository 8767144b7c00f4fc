// How an encoder wants its input prepared: the resize filter of the squash-resize and the
// normalisation. Model manifests (src/encoders/manifest.ts) state these per model.

export type ResizeFilter = 'bicubic' | 'bilinear';

export interface Normalization {
  /** true when the graph normalises its [0,1] RGB input itself (the CNN trunks do). */
  insideGraph: boolean;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface EncoderInputSpec {
  resize: ResizeFilter;
  normalization: Normalization;
}
