// The timelines of the videos in a batch: each video's frames in time order, with their scores
// once scored. Pure, so it is tested without a page.
import type { BatchImage } from '../batch/types.ts';
import type { BatchResults, RowVerdict } from '../results/results.ts';

export interface TimelineFrame {
  key: string;
  name: string;
  time: number;
  /** null while the frame waits for its score */
  score: number | null;
  verdict: RowVerdict | 'pending';
}

export interface VideoTimeline {
  video: string;
  frames: TimelineFrame[];
  /** the last frame's time: the axis ends there */
  end: number;
}

export function videoTimelines(images: readonly BatchImage[], results: BatchResults | null): VideoTimeline[] {
  const rows = new Map(results?.rows.map((row) => [row.image.key, row]));
  const byVideo = new Map<string, TimelineFrame[]>();
  for (const image of images) {
    if (!image.video) continue;
    const row = rows.get(image.key);
    const frames = byVideo.get(image.video.name) ?? [];
    frames.push({
      key: image.key,
      name: image.name,
      time: image.video.time,
      score: row?.score ?? null,
      verdict: row?.verdict ?? 'pending',
    });
    byVideo.set(image.video.name, frames);
  }
  return [...byVideo].map(([video, frames]) => {
    frames.sort((a, b) => a.time - b.time);
    return { video, frames, end: frames[frames.length - 1]?.time ?? 0 };
  });
}
