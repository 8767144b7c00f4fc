import { describe, expect, it } from 'vitest';
import { isMaskPath, pairMvtec } from './mvtecLayout.ts';

const images = ['bottle/test/good/000.png', 'bottle/test/broken_large/001.png', 'bottle/test/broken_large/000.png'];
const masks = ['bottle/ground_truth/broken_large/001_mask.png', 'bottle/ground_truth/broken_large/000_mask.png'];

describe('pairMvtec', () => {
  it('labels by folder and pairs masks by sorted position', () => {
    const pairing = pairMvtec(images, [...images, ...masks]);
    expect(pairing?.truth.get('bottle/test/good/000.png')).toEqual({
      defect: 'good',
      anomalous: false,
      maskPath: null,
    });
    expect(pairing?.truth.get('bottle/test/broken_large/000.png')?.maskPath).toBe(
      'bottle/ground_truth/broken_large/000_mask.png',
    );
    expect(pairing?.truth.get('bottle/test/broken_large/001.png')?.maskPath).toBe(
      'bottle/ground_truth/broken_large/001_mask.png',
    );
    expect(pairing?.masks.size).toBe(2);
  });

  it('works at the root of the dropped folder', () => {
    expect(pairMvtec(['test/good/a.png'], ['test/good/a.png'])?.truth.size).toBe(1);
  });

  it('gives up when masks are missing or images are outside the layout', () => {
    expect(pairMvtec(images, [...images, masks[0]])).toBeNull();
    expect(pairMvtec(['a.png'], ['a.png'])).toBeNull();
  });

  it('recognises mask paths', () => {
    expect(isMaskPath(masks[0])).toBe(true);
    expect(isMaskPath(images[0])).toBe(false);
  });
});
