import { describe, expect, it } from 'vitest';
import type { BatchScores } from '../../worker/protocol.ts';
import type { BatchImage } from '../batch/types.ts';
import { scoresCsv } from '../export/exportBatch.ts';
import { buildResults } from './results.ts';

const image = (name: string): BatchImage => ({
  key: name,
  name,
  path: name,
  blob: new Blob(),
  width: 8,
  height: 8,
  truth: null,
});

function scores(final: number[], peaks: number[]): BatchScores {
  return {
    keys: final.map((_, i) => `k${i}`),
    imageScores: Float64Array.from(final),
    imageScoresRaw: Float64Array.from(peaks),
    patchScores: new Float64Array(final.length),
    grid: 1,
    mapSize: 2,
    forcedSmallBatch: false,
    rscinWindows: [1, 2, 3],
    encodedNow: final.length,
    model: {
      modelId: 'm',
      variant: 'fp32',
      warmupMs: 0,
      backendInfo: {
        backend: 'wasm',
        fallbackReason: null,
        webgpuCheck: null,
        adapter: null,
        shaderF16: false,
        wasmThreads: 1,
        crossOriginIsolated: false,
      },
    },
  };
}

const names = ['a.png', 'b,odd.png', 'c.png', 'd.png', 'e.png', 'f.png'];
const batch = scores([0.02, 0.9, 0.05, 0.04, 0.8, 0.03], [0.3, 0.9, 0.35, 0.32, 0.7, 0.31]);

describe('buildResults', () => {
  it('ranks by score and applies the threshold in force', () => {
    const r = buildResults(names.map(image), batch, null);
    expect(r.rows.map((x) => x.image.name)).toEqual(['b,odd.png', 'e.png', 'c.png', 'd.png', 'f.png', 'a.png']);
    expect(r.counts).toEqual({ normal: 4, anomalous: 2 });
    expect(r.threshold.mode).toBe('auto');
    // outline level: the hottest map among the images judged normal
    expect(r.threshold.pixel).toBe(0.35);
    const manual = buildResults(names.map(image), batch, 0.03);
    expect(manual.counts).toEqual({ normal: 2, anomalous: 4 });
  });

  it('exports the CSV with the screen formatting, quoting odd names', () => {
    const csv = scoresCsv(buildResults(names.map(image), batch, null)).split('\r\n');
    expect(csv[0]).toBe('rank,file,score,verdict,map_max');
    expect(csv[1]).toBe('1,"b,odd.png",0.900,anomalous,0.9000');
    expect(csv[6]).toBe('6,a.png,0.020,normal,0.3000');
  });
});
