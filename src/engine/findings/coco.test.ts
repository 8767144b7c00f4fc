import { describe, expect, it } from 'vitest';
import { cocoInstances } from './coco.ts';
import { findRegions } from './regions.ts';

describe('cocoInstances', () => {
  it('writes one annotation per region with the standard COCO instance fields, in original pixels', () => {
    const map = Float32Array.from({ length: 40 * 30 }, (_, i) => {
      const [x, y] = [i % 40, Math.floor(i / 40)];
      return (x >= 2 && x < 8 && y >= 3 && y < 5) || (x >= 30 && y >= 20 && y < 25) ? 1 : 0;
    });
    const regions = findRegions(map, 40, 30, 0.5, 1);
    const coco = cocoInstances(
      [
        { fileName: 'a/ok.png', width: 40, height: 30, regions: [] },
        { fileName: 'a/bad.png', width: 40, height: 30, regions },
      ],
      'test',
    );
    expect(coco.images).toEqual([
      { id: 1, file_name: 'a/ok.png', width: 40, height: 30 },
      { id: 2, file_name: 'a/bad.png', width: 40, height: 30 },
    ]);
    expect(coco.categories).toEqual([{ id: 1, name: 'anomaly', supercategory: 'defect' }]);
    expect(coco.annotations).toEqual([
      {
        id: 1,
        image_id: 2,
        category_id: 1,
        bbox: [30, 20, 10, 5],
        area: 50,
        iscrowd: 0,
        segmentation: [[30, 20, 40, 20, 40, 25, 30, 25]],
      },
      {
        id: 2,
        image_id: 2,
        category_id: 1,
        bbox: [2, 3, 6, 2],
        area: 12,
        iscrowd: 0,
        segmentation: [[2, 3, 8, 3, 8, 5, 2, 5]],
      },
    ]);
    expect(JSON.parse(JSON.stringify(coco))).toEqual(coco);
  });
});
