// Slicing a batch's tapped layers by image: the session keeps features per image, and encoders
// run several images per call.
import type { LayerFeatures } from './types.ts';

/** Image n of a layer as a one-image layer (a view, no copy). */
export function oneImage(layer: LayerFeatures, n: number): LayerFeatures {
  const size = (layer.skip + layer.grid * layer.grid) * layer.dim;
  return { ...layer, images: 1, data: layer.data.subarray(n * size, (n + 1) * size) };
}
