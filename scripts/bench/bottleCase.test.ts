import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { BenchRecord } from './cases.ts';
import { bottleRecord, runBottleCase } from './bottleCase.ts';

describe('bottle bench case', () => {
  it('builds one record: whole-run ms, ms per image and the stage split, rounded', () => {
    const record = bottleRecord({
      model: 'resnet50v2-imagenet-trunk',
      size: 224,
      grid: 14,
      images: 83,
      ms: { open: 812.4, decode: 1500.6, encode: 21_000.2, mutualScoring: 90_000.4, maps: 300.3, total: 112_900.9 },
      peakRssMb: 640,
    });
    expect(record).toEqual({
      case: 'bottle',
      backend: 'node-ort',
      model: 'resnet50v2-imagenet-trunk',
      variant: 'fp32',
      size: 224,
      grid: 14,
      images: 83,
      ms: 112_901,
      ms_per_image: 1360.3,
      open_ms: 812,
      decode_ms: 1501,
      encode_ms: 21_000,
      mutual_scoring_ms: 90_000,
      maps_ms: 300,
      peak_rss_mb: 640,
    });
  });

  it('emits a skipped record, not an error, when the dataset is missing', async () => {
    const records: BenchRecord[] = [];
    const missing = join(tmpdir(), 'muscope-no-such-bottle');
    await runBottleCase((r) => records.push(r), missing);
    expect(records).toEqual([{ case: 'bottle', backend: 'node-ort', skipped: `${missing}: no such folder` }]);
  });
});
