import { describe, expect, it } from 'vitest';
import type { BatchImage } from '../batch/types.ts';
import type { BatchResults } from '../results/results.ts';
import { videoTimelines } from './timeline.ts';
import { frameName, frameTimes, isVideoFile, MAX_FRAMES } from './videoFiles.ts';

const head = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)).concat(Array(16).fill(0)),
  ).subarray(0, 16);

describe('video files', () => {
  it('are told by their content, then by their type', () => {
    expect(isVideoFile(head([0, 0, 0, 0x20], 'ftypisom'), '')).toBe(true);
    expect(isVideoFile(head([0x1a, 0x45, 0xdf, 0xa3]), '')).toBe(true);
    expect(isVideoFile(head([0, 0, 0, 0x20], 'ftypavif'), '')).toBe(false);
    expect(isVideoFile(head([0, 0, 0, 0x20], 'ftypheic'), 'video/mp4')).toBe(false);
    expect(isVideoFile(head([0x89], 'PNG'), 'video/webm')).toBe(false);
    expect(isVideoFile(head('garbage'), 'video/webm')).toBe(true);
    expect(isVideoFile(head(), 'video/webm')).toBe(true);
    expect(isVideoFile(head('garbage'), 'text/plain')).toBe(false);
  });

  it('are sampled at i / rate before the end, the rate lowered to stay within MAX_FRAMES', () => {
    expect(frameTimes(3, 2)).toEqual({ times: [0, 0.5, 1, 1.5, 2, 2.5], rate: 2, lowered: false });
    expect(frameTimes(3.1, 2).times).toHaveLength(7);
    const long = frameTimes(600, 2);
    expect(long.lowered).toBe(true);
    expect(long.times).toHaveLength(MAX_FRAMES);
    expect(long.rate).toBeCloseTo(0.4);
    expect(long.times[long.times.length - 1]).toBeLessThan(600);
    expect(frameName('parts.webm', 1.5)).toBe('parts.webm@1.5s.png');
    expect(frameName('parts.webm', 1 / 3)).toBe('parts.webm@0.333s.png');
  });

  it('make a timeline per video, in time order, with the scores shown', () => {
    const image = (key: string, video?: { name: string; time: number }): BatchImage => ({
      key,
      name: key,
      path: key,
      blob: new Blob(),
      width: 8,
      height: 8,
      truth: null,
      video,
    });
    const images = [image('b', { name: 'v.webm', time: 1 }), image('a', { name: 'v.webm', time: 0 }), image('c')];
    const results = {
      rows: [{ image: images[0], score: 0.9, verdict: 'anomalous' }],
    } as unknown as BatchResults;
    expect(videoTimelines(images, results)).toEqual([
      {
        video: 'v.webm',
        end: 1,
        frames: [
          { key: 'a', name: 'a', time: 0, score: null, verdict: 'pending' },
          { key: 'b', name: 'b', time: 1, score: 0.9, verdict: 'anomalous' },
        ],
      },
    ]);
  });
});
