// What a scoring session holds grows with the square of the batch: for each image and each image
// that scores it, the nearest-patch distance of every patch in every feature set (session.ts),
// float32, besides each image's features in its slots. 83 images at a 14×14 grid with 6 feature
// sets (3 degrees × 2 layers, the default ResNet50-v2 setting) keep 32 MB of distances; 1344
// would keep 8.5 GB, or 0.4 GB with 64 candidate images (candidates.ts: K scorers per image).
// The CLI checks this before it opens a session for a large set.

export interface SessionShape {
  images: number;
  /** feature sets: degrees × layers */
  sets: number;
  /** patches per image (grid²) */
  patches: number;
  /** floats of one image's features over every feature set (patches × the sum of their dims) */
  featureFloats: number;
  /** the candidate-images shortcut's K; null: every other image scores each one */
  candidates: number | null;
}

/** Bytes a mutual session holds at least: the distances of every ordered pair that scores, and one copy of every image's features. */
export function mutualSessionBytes({ images, sets, patches, featureFloats, candidates }: SessionShape): number {
  const scorers = Math.min(images - 1, candidates === null ? Infinity : 2 * Math.ceil(candidates / 2));
  return (images * scorers * sets * patches + images * featureFloats) * 4;
}
