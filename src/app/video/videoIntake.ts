// Videos among dropped files become their sampled frames before the usual intake: the frames join
// the batch as images (scored as any image, mutually or against references), each remembering its
// video and time so the timeline can be drawn. A video that cannot be used is listed as skipped,
// with the reason, like any unusable file.
import { headOf } from '../../platform/browser/decode.ts';
import type { BatchImage, SkippedFile } from '../batch/types.ts';
import type { IncomingFile } from '../intake/collect.ts';
import { intake, type IntakeResult } from '../intake/intake.ts';
import { sampleFrames } from './sampleFrames.ts';
import { frameName, isVideoFile, MAX_FRAMES, VideoFileError } from './videoFiles.ts';
import { useVideoStore } from './videoStore.ts';

// Every drop's sampling, so Stop reaches them all; a later drop does not stop an earlier one.
const running = new Set<AbortController>();

/** Stops the sampling under way; the videos not sampled yet are listed as skipped. */
export function stopSampling(): void {
  for (const controller of running) controller.abort();
}

const formatRate = (rate: number): string => String(Math.round(rate * 100) / 100);

async function framesOf(
  video: IncomingFile,
  signal: AbortSignal,
): Promise<{ frames: IncomingFile[]; times: Map<string, number> } | SkippedFile> {
  const store = useVideoStore;
  const { rate } = store.getState();
  try {
    const sampled = await sampleFrames(video.file, video.path, {
      rate,
      signal,
      onProgress: (done, total) => store.setState({ sampling: { name: video.path, done, total } }),
    });
    // A note from an earlier drop of the same name no longer holds.
    store.setState((s) => ({ notes: Object.fromEntries(Object.entries(s.notes).filter(([n]) => n !== video.path)) }));
    if (sampled.lowered)
      store.setState((s) => ({
        notes: {
          ...s.notes,
          [video.path]: `${video.path} is ${Math.round(sampled.duration)} s long: sampled at ${formatRate(sampled.rate)} frames per second instead of ${formatRate(rate)}, to stay within ${MAX_FRAMES} frames.`,
        },
      }));
    const times = new Map<string, number>();
    const frames = sampled.frames.map(({ file, time }) => {
      const path = frameName(video.path, time);
      times.set(path, time);
      return { file, path };
    });
    return { frames, times };
  } catch (err) {
    if (err instanceof VideoFileError) return { name: video.path, reason: err.reason };
    return {
      name: video.path,
      reason: `the video could not be sampled (${err instanceof Error ? err.message : String(err)})`,
    };
  } finally {
    store.setState({ sampling: null });
  }
}

/** intake() with each video replaced by its frames; frames accepted carry `video`. */
export async function intakeWithVideos(
  incoming: readonly IncomingFile[],
  existing: readonly BatchImage[],
): Promise<IntakeResult> {
  const heads = await Promise.all(incoming.map((f) => headOf(f.file)));
  const videos = incoming.filter((f, i) => isVideoFile(heads[i], f.file.type));
  if (videos.length === 0) return intake(incoming, existing);

  const controller = new AbortController();
  running.add(controller);
  const others = incoming.filter((f) => !videos.includes(f));
  const skipped: SkippedFile[] = [];
  const frameOf = new Map<string, { name: string; time: number }>();
  try {
    for (const video of videos) {
      const result = await framesOf(video, controller.signal);
      if ('reason' in result) {
        skipped.push(result);
        continue;
      }
      others.push(...result.frames);
      for (const [path, time] of result.times) frameOf.set(path, { name: video.path, time });
    }
  } finally {
    running.delete(controller);
  }
  const taken = await intake(others, existing);
  return {
    accepted: taken.accepted.map((image) => {
      const video = frameOf.get(image.path);
      return video ? { ...image, video } : image;
    }),
    skipped: [...skipped, ...taken.skipped],
  };
}
