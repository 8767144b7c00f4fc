import { describe, expect, it } from 'vitest';
import { pickCheckImages, prepareCheckImages } from './checkImages.ts';

describe('pickCheckImages', () => {
  const mvtec = [
    'scratch/002.png',
    'good/004.png',
    'crack/notes.txt',
    'good/000.png',
    'crack/001.png',
    'good/002.png',
    'scratch/000.png',
    'good/001.png',
    'crack/000.png',
    'good/003.png',
    'scratch/001.png',
    'readme.txt',
    'deeper/still/000.png',
  ];

  it('takes half good images and the rest round-robin over the defect folders, in name order', () => {
    expect(pickCheckImages(mvtec, 8)).toEqual([
      'good/000.png',
      'good/001.png',
      'good/002.png',
      'good/003.png',
      'crack/000.png',
      'scratch/000.png',
      'crack/001.png',
      'scratch/001.png',
    ]);
  });

  it('takes every good image when there is no defect folder, and the images of a flat list in name order', () => {
    expect(pickCheckImages(['good/1.png', 'good/0.PNG'], 8)).toEqual(['good/0.PNG', 'good/1.png']);
    expect(pickCheckImages(['b.jpg', 'a.png', '.png', 'c.txt'], 8)).toEqual(['a.png', 'b.jpg']);
  });

  it('picks from the page demo set as from the bottle test folder', () => {
    const demo = ['good/000.png', 'good/001.png', 'broken_large/000.png', 'contamination/000.png'];
    expect(pickCheckImages(demo, 3)).toEqual(['good/000.png', 'good/001.png', 'broken_large/000.png']);
  });
});

describe('prepareCheckImages', () => {
  it('squash-resizes to the input size and normalises as the manifest says', () => {
    const image = { data: new Uint8Array(4 * 2 * 3).fill(255), width: 4, height: 2, channels: 3 as const };
    const [prepared] = prepareCheckImages([{ name: 'white.png', image }], {
      name: 'pixel_values',
      size: 2,
      layout: 'nchw',
      resize: 'bilinear',
      normalization: { insideGraph: false, mean: [0.5, 0.5, 0.5], std: [0.25, 0.5, 1] },
    });
    expect(prepared.name).toBe('white.png');
    expect([...prepared.pixels]).toEqual([2, 2, 2, 2, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
  });
});
