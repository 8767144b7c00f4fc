// The built-in demo batch: 12 MVTec AD bottle images (6 good, 6 defective) with their masks, in
// the MVTec layout, copied from ../shared/data at install time. Licensed for evaluation only, so
// they are never committed (public/demo is git-ignored).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { demoDir, sharedDir } from '../files/paths.ts';

const PICKS: Array<[folder: string, names: string[]]> = [
  ['good', ['000', '001', '002', '003', '004', '005']],
  ['broken_large', ['000', '001']],
  ['broken_small', ['000', '001']],
  ['contamination', ['000', '001']],
];

export async function installDemo(log: (l: string) => void): Promise<void> {
  const source = join(sharedDir, 'data/mvtec_ad/bottle');
  if (!existsSync(source)) {
    log(`demo set skipped: ${source} not found (the app works without it).`);
    return;
  }
  const files: string[] = [];
  for (const [folder, names] of PICKS) {
    for (const name of names) {
      files.push(`test/${folder}/${name}.png`);
      if (folder !== 'good') files.push(`ground_truth/${folder}/${name}_mask.png`);
    }
  }
  let copied = 0;
  for (const rel of files) {
    const to = join(demoDir, 'bottle', rel);
    if (existsSync(to)) continue;
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(source, rel), to);
    copied++;
  }
  await writeFile(
    join(demoDir, 'index.json'),
    `${JSON.stringify({ name: 'MVTec AD bottle (12 images)', root: 'bottle', files }, null, 2)}\n`,
  );
  if (copied) log(`installed demo set: ${copied} files into public/demo/bottle`);
}
