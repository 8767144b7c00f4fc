import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectCheckImages } from './variant-check-images.ts';

describe('selectCheckImages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'muscope-check-images-'));
    const files: Record<string, string[]> = {
      good: ['000.png', '001.png', '002.png', '003.png', '004.png'],
      crack: ['000.png', '001.png', 'notes.txt'],
      scratch: ['000.png', '001.png', '002.png'],
    };
    for (const [folder, names] of Object.entries(files)) {
      await mkdir(join(dir, folder));
      for (const name of names) await writeFile(join(dir, folder, name), '');
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes half good images and the rest round-robin over the defect folders, in name order', async () => {
    const picked = (await selectCheckImages(dir, 8)).map((p) => p.slice(dir.length + 1));
    expect(picked).toEqual([
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

  it('takes the images of a flat folder in name order', async () => {
    expect((await selectCheckImages(join(dir, 'crack'), 8)).map((p) => p.slice(dir.length + 1))).toEqual([
      'crack/000.png',
      'crack/001.png',
    ]);
  });
});
