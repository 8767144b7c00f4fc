// Reading the live preview: the full-resolution frame (cropped to the region of interest) as a
// PNG file to score, and a small grey sample of the same crop for the motion detector.
import { SAMPLE_HEIGHT, SAMPLE_WIDTH } from './motion.ts';

/** Region of interest as fractions (0..1) of the video frame. */
export interface Roi {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The crop in video pixels: the region of interest, or the whole frame. */
function cropOf(video: HTMLVideoElement, roi: Roi | null) {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!roi) return { sx: 0, sy: 0, sw: w, sh: h };
  const sx = Math.round(roi.x * w);
  const sy = Math.round(roi.y * h);
  return { sx, sy, sw: Math.max(1, Math.round(roi.width * w)), sh: Math.max(1, Math.round(roi.height * h)) };
}

export function hasFrame(video: HTMLVideoElement | null): video is HTMLVideoElement {
  return !!video && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;
}

/** The current frame (cropped) as a PNG file: lossless, so the score sees what the camera saw. */
export async function captureFrame(video: HTMLVideoElement, roi: Roi | null, name: string): Promise<File> {
  const { sx, sy, sw, sh } = cropOf(video, roi);
  const canvas = document.createElement('canvas');
  canvas.width = sw;
  canvas.height = sh;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(video, sx, sy, sw, sh, 0, 0, sw, sh);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the frame could not be encoded');
  return new File([blob], name, { type: 'image/png' });
}

/** A 64×48 grey sample of the crop, for the motion detector. */
export function sampleGrey(video: HTMLVideoElement, roi: Roi | null, ctx: CanvasRenderingContext2D): Uint8Array {
  const { sx, sy, sw, sh } = cropOf(video, roi);
  ctx.drawImage(video, sx, sy, sw, sh, 0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT);
  const rgba = ctx.getImageData(0, 0, SAMPLE_WIDTH, SAMPLE_HEIGHT).data;
  const grey = new Uint8Array(SAMPLE_WIDTH * SAMPLE_HEIGHT);
  for (let i = 0; i < grey.length; i++)
    grey[i] = (rgba[4 * i] * 77 + rgba[4 * i + 1] * 150 + rgba[4 * i + 2] * 29) >> 8;
  return grey;
}

/** A canvas context for sampleGrey, read back often. */
export function sampleContext(): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = SAMPLE_WIDTH;
  canvas.height = SAMPLE_HEIGHT;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas');
  return ctx;
}
