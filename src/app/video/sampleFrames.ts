// Frames of a video file, as PNG files the batch takes like any image: decoded by the browser in
// an HTMLVideoElement (whatever it plays: MP4/H.264, WebM), seeked to each sampling time and drawn
// onto a canvas. Runs on the page: video elements do not exist in workers.
import { MAX_DECODED_SIDE } from '../../engine/preprocess/imageFiles.ts';
import { withPngText } from './pngText.ts';
import { emptyVideo, frameName, frameTimes, unplayable, VideoFileError } from './videoFiles.ts';

/** No metadata after this long: the browser is not going to play it. */
const OPEN_TIMEOUT_MS = 15_000;
/** One seek taking longer than this means the file stalls the decoder. */
const SEEK_TIMEOUT_MS = 15_000;

export interface SampledFrame {
  file: File;
  /** seconds from the start */
  time: number;
}

export interface SampledVideo {
  frames: SampledFrame[];
  duration: number;
  /** frames per second actually used: lower than asked when the video is too long for MAX_FRAMES */
  rate: number;
  lowered: boolean;
}

export interface SampleOptions {
  /** frames per second wanted */
  rate: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

const stopped = (name: string) => new VideoFileError(name, 'stopped', 'sampling was stopped; no frames were added');

/** Resolves on `event`, rejects on the element's error, on abort and after `timeoutMs`. */
function once(
  video: HTMLVideoElement,
  event: keyof HTMLMediaElementEventMap,
  name: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onEvent = () => done(resolve);
    const onError = () => done(() => reject(unplayable(name, mediaErrorText(video.error))));
    const onAbort = () => done(() => reject(stopped(name)));
    const timer = setTimeout(
      () => done(() => reject(unplayable(name, `nothing decoded after ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
  });
}

const MEDIA_ERRORS: Record<number, string> = {
  1: 'loading was aborted',
  2: 'a network error',
  3: 'the data could not be decoded',
  4: 'the format or codec is not supported',
};

function mediaErrorText(error: MediaError | null): string {
  if (!error) return 'unknown error';
  return error.message || MEDIA_ERRORS[error.code] || `media error ${error.code}`;
}

async function seek(video: HTMLVideoElement, time: number, name: string, signal?: AbortSignal): Promise<void> {
  const seeked = once(video, 'seeked', name, SEEK_TIMEOUT_MS, signal);
  video.currentTime = time;
  await seeked;
}

/**
 * The duration, known. Files recorded by browsers (MediaRecorder WebM) carry none: the element
 * says Infinity until it has read to the end, which a seek far past the end makes it do.
 */
async function durationOf(video: HTMLVideoElement, name: string, signal?: AbortSignal): Promise<number> {
  if (Number.isFinite(video.duration)) return video.duration;
  await seek(video, 1e101, name, signal);
  const duration = video.duration;
  return Number.isFinite(duration) ? duration : 0;
}

function canvasFor(video: HTMLVideoElement): HTMLCanvasElement {
  const scale = Math.min(1, MAX_DECODED_SIDE / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
  canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
  return canvas;
}

function toPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the frame could not be encoded'))), 'image/png'),
  );
}

/**
 * Samples `file` at `options.rate` frames per second (fewer when the video is longer than
 * MAX_FRAMES allows). Throws VideoFileError for an empty video, one the browser cannot play,
 * and when `options.signal` stops it.
 */
export async function sampleFrames(file: File, name: string, options: SampleOptions): Promise<SampledVideo> {
  if (file.size === 0) throw emptyVideo(name);
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const opened = once(video, 'loadedmetadata', name, OPEN_TIMEOUT_MS, options.signal);
    video.src = url;
    await opened;
    if (video.videoWidth === 0 || video.videoHeight === 0) throw unplayable(name, 'it has no picture');
    const duration = await durationOf(video, name, options.signal);
    if (!(duration > 0)) throw emptyVideo(name);
    const { times, rate, lowered } = frameTimes(duration, options.rate);
    const canvas = canvasFor(video);
    const context = canvas.getContext('2d');
    if (!context) throw unplayable(name, 'no canvas to draw its frames on');
    const frames: SampledFrame[] = [];
    options.onProgress?.(0, times.length);
    for (const time of times) {
      await seek(video, time, name, options.signal);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const png = await withPngText(await toPng(canvas), 'Comment', `${name} at ${time} s`);
      frames.push({ file: new File([png], frameName(file.name, time), { type: 'image/png' }), time });
      options.onProgress?.(frames.length, times.length);
    }
    if (frames.length === 0) throw emptyVideo(name);
    return { frames, duration, rate, lowered };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}
