// Decoded images for display, shared between the gallery and the detail view. createImageBitmap
// decodes off the main thread; thumbnails are decoded small to save memory.
import { useEffect, useState } from 'react';

const cache = new WeakMap<Blob, Map<number, Promise<ImageBitmap>>>();

function bitmapOf(blob: Blob, maxSide: number): Promise<ImageBitmap> {
  let sizes = cache.get(blob);
  if (!sizes) cache.set(blob, (sizes = new Map()));
  let bitmap = sizes.get(maxSide);
  if (!bitmap) {
    bitmap = createImageBitmap(blob, { imageOrientation: 'from-image' }).then(async (full) => {
      if (Math.max(full.width, full.height) <= maxSide) return full;
      const scale = maxSide / Math.max(full.width, full.height);
      const small = await createImageBitmap(full, {
        resizeWidth: Math.round(full.width * scale),
        resizeHeight: Math.round(full.height * scale),
        resizeQuality: 'high',
      });
      full.close();
      return small;
    });
    sizes.set(maxSide, bitmap);
  }
  return bitmap;
}

/** The image decoded with its longer side at most maxSide; null while decoding or if it fails. */
export function useBitmap(blob: Blob, maxSide: number): ImageBitmap | null {
  const [state, setState] = useState<{ blob: Blob; maxSide: number; bitmap: ImageBitmap } | null>(null);
  useEffect(() => {
    let live = true;
    bitmapOf(blob, maxSide).then(
      (bitmap) => live && setState({ blob, maxSide, bitmap }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [blob, maxSide]);
  return state && state.blob === blob && state.maxSide === maxSide ? state.bitmap : null;
}
