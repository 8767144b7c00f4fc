export type { Raster8, RgbImage, GrayImage } from './image.ts';
export { pilResize } from './pilResize.ts';
export { writeChw, squashResize, type EncoderInputSpec } from './tensor.ts';
export { preprocessMask, isEmptyMask, type MaskRule } from './mask.ts';
