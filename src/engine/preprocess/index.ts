export type { Raster8, RgbImage, GrayImage } from './image.ts';
export { pilResize } from './pilResize.ts';
export { writeChw, squashResize } from './tensor.ts';
export type { EncoderInputSpec, Normalization, ResizeFilter } from './spec.ts';
export { preprocessMask, isEmptyMask, type MaskRule } from './mask.ts';
