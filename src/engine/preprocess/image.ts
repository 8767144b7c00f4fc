// Plain 8-bit raster shared by decoders (sharp in Node, canvas/ImageBitmap in the browser) and
// the preprocessing steps. Interleaved, row-major, `channels` bytes per pixel.

export interface Raster8 {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** An sRGB image: a raster with channels = 3 (R, G, B). */
export type RgbImage = Raster8 & { channels: 3 };

/** A single-channel 8-bit image (ground-truth masks). */
export type GrayImage = Raster8 & { channels: 1 };

export function assertRaster(image: Raster8): void {
  const { data, width, height, channels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Raster size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `Raster of ${width}×${height}×${channels} needs ${width * height * channels} bytes, got ${data.length}`,
    );
  }
}
