// End-to-end runs of the CLI as a user runs it, on real images and on generated bad files.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNodeGpu } from '../platform/node/webgpu.ts';
import { parseArgs, UsageError } from './args.ts';
import { BOTTLE, MODEL, readNpyFloat32, ready, runMuscope, runMuscopeOn } from './cliRun.testing.ts';
import { MODEL_OPTIONS, modelChoice } from './common.ts';
import { softwareRenderer } from '../platform/node/webgpu.ts';
import { GpuUnavailableError, gpuMsm } from './msm.ts';
import type { ScoreRow } from './score.ts';

const work = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const muscope = (...args: string[]) => runMuscope(work, ...args);

/** Copies `count` bottle images (good and broken_small) into `dir`. */
function copyBottles(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const [folder, n] = i % 2 ? ['broken_small', i] : ['good', i];
    const target = join(dir, `${folder}_${n}.png`);
    copyFileSync(join(BOTTLE, 'test', folder, `${String(n).padStart(3, '0')}.png`), target);
    return target;
  });
}

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('--msm and --encoder', () => {
  const choose = (...argv: string[]) =>
    modelChoice(parseArgs(['--model', MODEL, ...argv], { flags: [], values: MODEL_OPTIONS }));

  it('picks where mutual scoring and the encoder run: the CPU by default, WebGPU on request, nothing else', () => {
    expect(choose().msm).toBe('cpu');
    expect(choose('--msm', 'webgpu').msm).toBe('webgpu');
    expect(choose('--msm=webgpu-f16').msm).toBe('webgpu-f16');
    expect(() => choose('--msm', 'gpu')).toThrow(
      new UsageError('--msm must be one of cpu, webgpu, webgpu-f16; got "gpu"'),
    );
    expect(choose().encoder).toBe('node');
    expect(choose('--encoder', 'webgpu').encoder).toBe('webgpu');
    expect(() => choose('--encoder', 'wasm')).toThrow(
      new UsageError('--encoder must be one of node, webgpu; got "wasm"'),
    );
  });

  it('refuses WebGPU without an adapter in plain words: why, and what to run instead', () => {
    expect(() => gpuMsm('f16', { unavailable: 'Dawn found no Vulkan adapter' })).toThrow(
      new GpuUnavailableError(
        '--msm webgpu-f16 needs WebGPU in Node, but Dawn found no Vulkan adapter. Run without --msm (CPU) instead.',
      ),
    );
  });

  it('labels software adapters as such, and only those', () => {
    const info = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false };
    expect(
      softwareRenderer({ ...info, vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7' }),
    ).toBe('lavapipe');
    expect(softwareRenderer({ ...info, vendor: 'google', architecture: 'swiftshader' })).toBe('swiftshader');
    expect(softwareRenderer({ ...info, isFallbackAdapter: true, description: 'Microsoft Basic Render Driver' })).toBe(
      'software',
    );
    expect(
      softwareRenderer({ ...info, vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090' }),
    ).toBeNull();
  });
});

// The adapter scoring would run on, found once here (CI requires one, as src/gpu's Dawn tests do).
const gpu = await requestNodeGpu();
const adapter = 'unavailable' in gpu ? null : gpu.adapter.info.description;
if ('device' in gpu) gpu.device.destroy();
else if (process.env.MUSCOPE_REQUIRE_NODE_WEBGPU)
  throw new Error(`Node WebGPU is required here, but ${gpu.unavailable}.`);

describe.skipIf(!ready || adapter === null)(`muscope score on WebGPU (${adapter ?? 'no adapter'})`, () => {
  it("gives the CPU's image scores within 1e-4 with --msm webgpu and with --encoder webgpu, and names the adapter", () => {
    const set = join(work, 'gpu-set');
    copyBottles(set, 6);
    const scores = (out: string, ...options: string[]) => {
      const r = muscope('score', set, '--model', MODEL, '--size', '64', '--no-overlays', '--out', out, ...options);
      expect(r.code, r.stderr).toBe(0);
      return {
        stderr: r.stderr,
        rows: JSON.parse(readFileSync(join(work, `${out}/scores.json`), 'utf8')) as ScoreRow[],
      };
    };
    const cpu = scores('gpu-cpu');
    const msm = scores('gpu-msm', '--msm', 'webgpu');
    const encoder = scores('gpu-encoder', '--encoder', 'webgpu');
    expect(msm.stderr).toContain(`mutual scoring on WebGPU through Dawn (f32 storage) on ${adapter}`);
    expect(encoder.stderr).toContain(`encoder on WebGPU through Dawn (onnxruntime-web) on ${adapter}`);
    // Against known-good references the session computes its pairs in GPU feature slots. (Other
    // images than the queries: an exact duplicate's distance is the square root of rounding noise.)
    const refs = join(work, 'gpu-refs');
    mkdirSync(refs);
    for (const n of ['015', '016', '017', '018'])
      copyFileSync(join(BOTTLE, 'test/good', `${n}.png`), join(refs, `${n}.png`));
    const againstCpu = scores('gpu-ref-cpu', '--reference', refs);
    const againstGpu = scores('gpu-ref-msm', '--reference', refs, '--msm', 'webgpu');
    againstGpu.rows.forEach((row, n) =>
      expect(Math.abs(row.score - againstCpu.rows[n].score)).toBeLessThanOrEqual(1e-4),
    );
    for (const gpuRun of [msm, encoder]) {
      expect(gpuRun.rows.map((row) => row.path)).toEqual(cpu.rows.map((row) => row.path));
      gpuRun.rows.forEach((row, n) => {
        expect(Math.abs(row.rawScore - cpu.rows[n].rawScore)).toBeLessThanOrEqual(1e-4);
        expect(Math.abs(row.score - cpu.rows[n].score)).toBeLessThanOrEqual(1e-4);
      });
    }
    // three CLI runs, two on a software GPU: past 120 s on a loaded 2-core machine
  }, 300_000);
});

describe.skipIf(!ready)('muscope score', () => {
  const set = join(work, 'set');
  const bad = { text: join(set, 'notes.png'), truncated: join(set, 'cut.jpg'), tiny: join(set, 'tiny.png') };
  const huge = join(set, 'huge.png');

  beforeAll(async () => {
    copyBottles(set, 6);
    writeFileSync(bad.text, 'not an image\n');
    const jpeg = await sharp(join(BOTTLE, 'test/good/010.png')).jpeg().toBuffer();
    writeFileSync(bad.truncated, jpeg.subarray(0, jpeg.length >> 1));
    await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } })
      .png()
      .toFile(bad.tiny);
    await sharp({ create: { width: 12000, height: 9000, channels: 3, background: { r: 40, g: 90, b: 60 } } })
      .png({ compressionLevel: 1 })
      .toFile(huge);
  }, 120_000);

  it('scores the usable images, names every bad file with its reason, and writes scores, maps and overlays', () => {
    const r = muscope('score', set, '--model', MODEL, '--size', '64', '--out', 'out');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${bad.text}: not an image`);
    expect(r.stderr).toContain(`${bad.truncated}: image data is truncated or corrupt`);
    expect(r.stderr).toContain(`${bad.tiny}: image is 1×1 px; images must be at least 8×8 px`);
    noStackTrace(r.stderr);

    const rows = JSON.parse(readFileSync(join(work, 'out/scores.json'), 'utf8')) as ScoreRow[];
    expect(rows).toHaveLength(7);
    expect(rows.map((row) => row.path)).toContain(huge);
    for (const row of rows) {
      expect(row.score).toBeGreaterThanOrEqual(0);
      expect(row.score).toBeLessThanOrEqual(1);
      expect(Number.isFinite(row.rawScore)).toBe(true);
      const map = readNpyFloat32(join(work, row.map));
      expect(map.length).toBe(64 * 64);
      expect(map.every(Number.isFinite)).toBe(true);
      expect(Math.max(...map)).toBeCloseTo(row.rawScore, 5);
      expect(existsSync(join(work, row.overlay as string))).toBe(true);
    }
    expect(readFileSync(join(work, 'out/scores.csv'), 'utf8').trim().split('\n')).toHaveLength(8);
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
    expect(r.stdout).not.toMatch(/NaN/);
  });

  it('scores against known-good references on a fixed scale, with their threshold, and lists no reference as a finding', () => {
    const refs = join(work, 'refs');
    mkdirSync(refs);
    for (const n of ['015', '016', '017', '018', '019'])
      copyFileSync(join(BOTTLE, 'test/good', `${n}.png`), join(refs, `${n}.png`));
    const images = copyBottles(join(work, 'queries'), 6);
    // The default model, as the app picks it: no --model.
    const r = muscope(
      'score',
      join(work, 'queries'),
      refs,
      '--reference',
      refs,
      '--size',
      '64',
      '--no-overlays',
      '--out',
      'ref-out',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`with ${MODEL} at 64px`);
    expect(r.stderr).toContain('Scores are distance to the known-good references');
    const rows = JSON.parse(readFileSync(join(work, 'ref-out/scores.json'), 'utf8')) as ScoreRow[];
    expect(rows.map((row) => row.path).sort()).toEqual(images.sort());
    const threshold = rows[0].threshold as number;
    expect(threshold).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatchObject({ scale: 'distance', threshold, rawScore: row.score });
      expect(row.verdict).toBe(row.score > threshold ? 'anomalous' : 'normal');
      expect(Math.max(...readNpyFloat32(join(work, row.map)))).toBeCloseTo(row.score, 5);
    }
    const csv = readFileSync(join(work, 'ref-out/scores.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('path,score,scale,threshold,verdict,raw_score,map,overlay,screening');
  });

  it('states the scale of mutual scores, screens out the plain green frame, and refuses options that do not fit references', () => {
    const rows = JSON.parse(readFileSync(join(work, 'out/scores.json'), 'utf8')) as ScoreRow[];
    for (const row of rows) {
      expect(row.scale).toBe('batch-relative');
      if (row.path === huge) {
        expect(row.verdict).toBe('not-comparable');
        expect(row.screening).toMatch(/^not comparable: its usual nearest distance to the others is/);
      } else {
        expect(row.screening).toBeNull();
        expect(row.verdict).toBe(row.score > (row.threshold as number) ? 'anomalous' : 'normal');
      }
    }
    expect(muscope('score', set, '--with-batch').stderr).toBe(
      'muscope: --with-batch adds the other images as scorers next to the references, so it needs --reference\n',
    );
    expect(muscope('score', set, '--reference', set, '--max-batch', '5').code).toBe(2);
  });

  it('scores a set whose session would not fit the machine whole, unscreened, and says so', () => {
    // A machine of 4 MB (os.totalmem replaced before the CLI starts): the 7 usable images' session
    // at 64 px would hold more than a quarter of it.
    const preload = join(work, 'tiny-machine.cjs');
    writeFileSync(
      preload,
      "const os = require('node:os'); os.totalmem = () => 4e6; require('node:module').syncBuiltinESMExports();\n",
    );
    const r = runMuscopeOn(
      ['--require', preload],
      work,
      'score',
      set,
      '--size',
      '64',
      '--no-overlays',
      '--out',
      'whole-out',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'note: scored whole, without screening for near-duplicates: a session for 7 images would hold',
    );
    const rows = JSON.parse(readFileSync(join(work, 'whole-out/scores.json'), 'utf8')) as ScoreRow[];
    expect(rows).toHaveLength(7);
    // unscreened: the plain green frame is scored like the others, not set apart
    expect(rows.every((row) => row.screening === null && row.verdict !== 'not-comparable')).toBe(true);
  });

  it('refuses an empty folder in one line', () => {
    mkdirSync(join(work, 'empty'));
    const r = muscope('score', join(work, 'empty'), '--model', MODEL);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`muscope: no image files found in ${join(work, 'empty')}`);
  });

  it('refuses fewer than 5 usable images in one line, and scores them when forced, marked as such', () => {
    const few = join(work, 'few');
    copyBottles(few, 3);
    writeFileSync(join(few, 'broken.png'), 'x');
    const refused = muscope('score', few, '--model', MODEL, '--size', '64', '--out', 'few-out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^muscope: Mutual scoring needs at least 5 images of the same product; got 3 usable \(1 skipped\)\..*--force-small-batch/m,
    );
    noStackTrace(refused.stderr);
    const forced = muscope(
      'score',
      few,
      '--model',
      MODEL,
      '--size',
      '64',
      '--out',
      'few-out',
      '--force-small-batch',
      '--no-overlays',
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.trim().split('\n')).toHaveLength(3);
    expect(forced.stdout).toContain('FORCED');
    expect(forced.stdout).not.toMatch(/NaN/);
  });

  it('reports an unknown model and a bad option in one line', () => {
    const unknown = muscope('score', set, '--model', 'no-such-model');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^muscope: Model "no-such-model" is not installed\. Installed: .*\n$/);
    const option = muscope('score', set, '--model', MODEL, '--size', 'big');
    expect(option.code).toBe(2);
    expect(option.stderr).toBe('muscope: --size must be a whole number from 16 to 2048; got "big"\n');
  });
});

describe.skipIf(!ready)('muscope eval', () => {
  it('evaluates a small MVTec-layout category and reports finite metrics and timings', () => {
    const cat = join(work, 'data', 'bottle');
    for (const [folder, files] of [
      ['good', ['000', '001', '002']],
      ['broken_large', ['000', '001', '002']],
    ] as const) {
      mkdirSync(join(cat, 'test', folder), { recursive: true });
      for (const f of files)
        copyFileSync(join(BOTTLE, 'test', folder, `${f}.png`), join(cat, 'test', folder, `${f}.png`));
      if (folder !== 'good') {
        mkdirSync(join(cat, 'ground_truth', folder), { recursive: true });
        for (const f of files)
          copyFileSync(
            join(BOTTLE, 'ground_truth', folder, `${f}_mask.png`),
            join(cat, 'ground_truth', folder, `${f}_mask.png`),
          );
      }
    }
    const r = muscope(
      'eval',
      join(work, 'data'),
      '--category',
      'bottle',
      '--model',
      MODEL,
      '--size',
      '64',
      '--out',
      'eval-out',
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      category: 'bottle',
      images: 6,
      anomalous: 3,
      size: 64,
      grid: 4,
      subsets: 1,
      maskThreshold: 'int-cast',
    });
    for (const v of [...Object.values(report.image), ...Object.values(report.pixel)] as number[]) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(report.seconds.total).toBeGreaterThan(0);
    expect(
      JSON.parse(readFileSync(join(work, 'eval-out/eval-bottle-resnet50v2-imagenet-trunk-64.json'), 'utf8')),
    ).toEqual(report);
  });

  it('reports metrics that one class leaves undefined as null, never as 0', () => {
    const cat = join(work, 'good-only', 'bottle');
    mkdirSync(join(cat, 'test', 'good'), { recursive: true });
    for (const f of ['000', '001', '002', '003', '004'])
      copyFileSync(join(BOTTLE, 'test/good', `${f}.png`), join(cat, 'test/good', `${f}.png`));
    const r = muscope(
      'eval',
      join(work, 'good-only'),
      '--category',
      'bottle',
      '--size',
      '64',
      '--out',
      'good-only-out',
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.image).toEqual({ auroc: null, f1Max: null, ap: null });
    expect(report.pixel).toEqual({ auroc: null, f1Max: null, ap: null, aupro: null });
  });
});
