// Element type the unit feature rows are stored in. Products and sums always run in f32
// (docs/method.md §14); f16 only halves memory and bandwidth, on devices with 'shader-f16'.

export type FeatureStorage = 'f32' | 'f16';

/** WGSL prelude that makes `Feature` the storage element type. */
export function featurePrelude(storage: FeatureStorage): string {
  return storage === 'f16' ? 'enable f16;\nalias Feature = f16;\n' : 'alias Feature = f32;\n';
}

export const bytesPerFeature = (storage: FeatureStorage): number => (storage === 'f16' ? 2 : 4);
