// What makes a dropped file a video, and the error that says why one cannot be used. Told by the
// content first (as images are, imageFiles.ts), by the type the system gave it otherwise: an empty
// or garbled file named .webm is still meant as a video, and deserves a video's message.
import { imageFormatOf } from '../../engine/preprocess/imageFiles.ts';

/** At most this many frames are sampled from one video: the batch must stay scoreable in a browser. */
export const MAX_FRAMES = 240;
/** Frames per second sampled unless the user chooses otherwise. */
export const DEFAULT_FRAME_RATE = 2;
/** The rates offered in the page. */
export const FRAME_RATES: readonly number[] = [0.5, 1, 2, 5, 10];

export type VideoProblem = 'empty' | 'cannot-play' | 'stopped';

export class VideoFileError extends Error {
  override readonly name = 'VideoFileError';
  constructor(
    /** the file name the user knows the video by */
    readonly file: string,
    readonly problem: VideoProblem,
    /** the message without the file name, for the list of skipped files */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export const emptyVideo = (file: string): VideoFileError => new VideoFileError(file, 'empty', 'the video is empty');

export const unplayable = (file: string, detail: string): VideoFileError =>
  new VideoFileError(file, 'cannot-play', `this browser cannot play this video (${detail}); try MP4/H.264 or WebM`);

const ascii = (head: Uint8Array, at: number, text: string): boolean =>
  [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/** ISO-BMFF brands of still images (HEIF, AVIF): an 'ftyp' box alone does not make a video. */
const IMAGE_BRANDS = ['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

/** True when the first bytes announce MP4/QuickTime or Matroska/WebM, or else the type says video. */
export function isVideoFile(head: Uint8Array, type: string): boolean {
  if (imageFormatOf(head) !== null) return false;
  if (ascii(head, 4, 'ftyp')) return !IMAGE_BRANDS.some((brand) => ascii(head, 8, brand));
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true;
  return type.startsWith('video/');
}

/**
 * The times to sample, in seconds: i / rate for every i while before the end, with the rate
 * lowered when the video is too long for MAX_FRAMES. Times are rounded to the millisecond, so the
 * frame's name and the frame seeked to agree.
 */
export function frameTimes(duration: number, rate: number): { times: number[]; rate: number; lowered: boolean } {
  const wanted = Math.ceil(duration * rate - 1e-9);
  const lowered = wanted > MAX_FRAMES;
  const used = lowered ? MAX_FRAMES / duration : rate;
  const count = Math.min(wanted, MAX_FRAMES);
  const times = Array.from({ length: count }, (_, i) => Math.round((i / used) * 1000) / 1000);
  return { times, rate: used, lowered };
}

/** '1.5' for 1.5 s, '12' for 12 s: as short as the millisecond allows. */
export const formatTime = (seconds: number): string => String(Math.round(seconds * 1000) / 1000);

export const frameName = (video: string, time: number): string => `${video}@${formatTime(time)}s.png`;
