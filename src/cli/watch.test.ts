// `muscope watch` as a line would use it: files landing in a folder while it runs, a non-image,
// a file copied slowly in chunks, 200 files at once, Ctrl-C, and the folder deleted under it.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  appendFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOTTLE, ready, startMuscope } from './cliRun.testing.ts';
import type { WatchLine } from './watch.ts';

const work = mkdtempSync(join(tmpdir(), 'watch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const FAST = ['--size', '64', '--settle-ms', '400'];
const WATCHING = /watching .*Ctrl-C stops/;

const lines = (stdout: string): WatchLine[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as WatchLine);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe.skipIf(!ready)('muscope watch', () => {
  const refs = join(work, 'refs');
  const staging = join(work, 'staging');

  beforeAll(async () => {
    mkdirSync(refs);
    mkdirSync(staging);
    for (const n of ['015', '016', '017', '018', '019'])
      copyFileSync(join(BOTTLE, 'test/good', `${n}.png`), join(refs, `${n}.png`));
    // 200 small, distinct parts: crops of real bottles at different places.
    const sources = ['good/000', 'good/001', 'broken_large/000', 'contamination/001'];
    for (let i = 0; i < 200; i++) {
      const offset = 20 + (i % 50) * 4;
      await sharp(join(BOTTLE, 'test', `${sources[i % 4]}.png`))
        .extract({ left: offset, top: offset, width: 600, height: 600 })
        .resize(96, 96)
        .png()
        .toFile(join(staging, `part_${String(i).padStart(3, '0')}.png`));
    }
  }, 120_000);

  it('scores files as they land against the references, skips a non-image, waits for a slow copy, takes 200 at once, and stops cleanly on Ctrl-C', async () => {
    const dir = join(work, 'line');
    const out = join(work, 'line-out');
    mkdirSync(dir);
    const watch = startMuscope(work, 'watch', dir, '--reference', refs, '--out', out, ...FAST);
    await watch.until((_, err) => WATCHING.test(err), 60_000);

    copyFileSync(join(BOTTLE, 'test/good/010.png'), join(dir, 'good.png'));
    await watch.until((stdout) => lines(stdout).length === 1, 30_000);
    writeFileSync(join(dir, 'notes.txt'), 'not an image\n');
    await watch.until((_, err) => err.includes(`skipped ${join(dir, 'notes.txt')}: not an image file`), 30_000);

    // A slow copy: 6 chunks 150 ms apart, each well within the settle time of 400 ms.
    const bytes = readFileSync(join(BOTTLE, 'test/broken_large/001.png'));
    const slow = join(dir, 'slow.png');
    const chunk = Math.ceil(bytes.length / 6);
    for (let at = 0; at < bytes.length; at += chunk) {
      appendFileSync(slow, bytes.subarray(at, at + chunk));
      await sleep(150);
    }
    await watch.until((stdout) => lines(stdout).length === 2, 30_000);

    // 200 files at once.
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(dir, name));
    await watch.until((stdout) => lines(stdout).length === 202, 180_000);

    watch.process.kill('SIGINT');
    expect(await watch.exited()).toBe(0);
    const results = lines(watch.stdout());
    expect(new Set(results.map((r) => r.file)).size).toBe(202);
    for (const r of results) {
      expect(r).toMatchObject({
        scale: 'distance',
        verdict: r.score > (r.threshold as number) ? 'anomalous' : 'normal',
      });
      expect(existsSync(r.map) && existsSync(r.overlay as string)).toBe(true);
    }
    expect(results.find((r) => r.file === join(dir, 'good.png'))?.verdict).toBe('normal');
    expect(results.find((r) => r.file === slow)?.verdict).toBe('anomalous');
    expect(watch.stderr()).not.toContain(`skipped ${slow}`);
    expect(watch.stderr()).toMatch(/stopped: 202 images scored, 1 skipped\n$/);
    expect(filesUnder(out).filter((f) => f.includes('.partial'))).toEqual([]);
  }, 400_000);

  it('without references waits for 5 images, then prints each verdict once', async () => {
    const dir = join(work, 'mutual');
    mkdirSync(dir);
    const watch = startMuscope(work, 'watch', dir, '--window', '5', '--out', join(work, 'mutual-out'), ...FAST);
    await watch.until((_, err) => WATCHING.test(err), 60_000);
    const names = ['000', '001', '002', '003', '004', '005'];
    for (const [k, n] of names.entries()) {
      copyFileSync(join(BOTTLE, 'test/good', `${n}.png`), join(dir, `${n}.png`));
      // Nothing before the fifth; then the five waiting; then one per image.
      const expected = k < 4 ? 0 : k + 1;
      if (k < 4) await sleep(1500);
      else await watch.until((stdout) => lines(stdout).length === expected, 30_000);
      expect(lines(watch.stdout())).toHaveLength(expected);
    }
    watch.process.kill('SIGINT');
    expect(await watch.exited()).toBe(0);
    const results = lines(watch.stdout());
    expect(results.map((r) => r.file).sort()).toEqual(names.map((n) => join(dir, `${n}.png`)));
    expect(results.every((r) => r.scale === 'batch-relative')).toBe(true);
  }, 120_000);

  it('stops with one line and exit 1 when the folder is deleted', async () => {
    const dir = join(work, 'doomed');
    mkdirSync(dir);
    const watch = startMuscope(work, 'watch', dir, '--reference', refs, '--out', join(work, 'doomed-out'), ...FAST);
    await watch.until((_, err) => WATCHING.test(err), 60_000);
    rmSync(dir, { recursive: true });
    expect(await watch.exited()).toBe(1);
    expect(watch.stderr()).toMatch(
      new RegExp(`\\nmuscope: ${dir}: the folder was deleted or moved; stopped watching\\n$`),
    );
  }, 120_000);
});
