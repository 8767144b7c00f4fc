import { mkdtemp, readFile, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../model/pinnedModels.ts';
import { sha256File } from '../../src/platform/node/sha256File.ts';
import { installModel, ModelInstallError, type InstallTarget } from './models.ts';

// A small real file stands in for a model so the tests exercise the same code paths quickly.
let work: string;
let entry: CatalogEntry;
let target: InstallTarget;
const logs: string[] = [];
const log = (l: string) => logs.push(l);

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'muscope-install-'));
  const source = join(work, 'source');
  await mkdir(join(source, 'tiny'), { recursive: true });
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) & 255));
  await writeFile(join(source, 'tiny/tiny.onnx'), bytes);
  entry = {
    rank: 1,
    files: [
      {
        name: 'model.onnx',
        sha256: await sha256File(join(source, 'tiny/tiny.onnx')),
        bytes: bytes.length,
        sourcePath: 'tiny/tiny.onnx',
        urlPath: 'tiny.onnx',
      },
    ],
    manifest: {
      schema: 1,
      id: 'tiny',
      displayName: 'Tiny',
      family: 'cnn',
      fixture: false,
      license: 'test',
      source: 'test',
      input: {
        name: 'image',
        size: 32,
        layout: 'nchw',
        resize: 'bilinear',
        normalization: { insideGraph: true, mean: [0, 0, 0], std: [1, 1, 1] },
      },
      taps: [],
      embedding: null,
    },
  };
  target = { modelsDir: join(work, 'models'), sources: [source], baseUrl: 'http://127.0.0.1:9/' };
  logs.length = 0;
});
afterEach(() => rm(work, { recursive: true, force: true }));

describe('model install', () => {
  it('installs, then a second run copies nothing', async () => {
    expect((await installModel(target, entry, log)).changed).toBe(true);
    logs.length = 0;
    expect((await installModel(target, entry, log)).changed).toBe(false);
    expect(logs).toEqual([]);
    const manifest = JSON.parse(await readFile(join(target.modelsDir, 'tiny/manifest.json'), 'utf8'));
    expect(manifest.variants[0]).toMatchObject({ dtype: 'fp32', file: 'model.onnx', sha256: entry.files[0].sha256 });
  });

  it('reports a truncated model with its path and replaces it', async () => {
    await installModel(target, entry, log);
    const path = join(target.modelsDir, 'tiny/model.onnx');
    await truncate(path, 4095);
    logs.length = 0;
    await installModel(target, entry, log);
    expect(logs.join('\n')).toContain(`${path} is corrupt or truncated`);
    expect(await sha256File(path)).toBe(entry.files[0].sha256);
  });

  it('with no source reachable, fails naming the model and how to provide it', async () => {
    const offline = { ...target, sources: [] };
    const err = await installModel(offline, entry, log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelInstallError);
    expect((err as Error).message).toMatch(/Model "tiny" is not installed/);
    expect((err as Error).message).toMatch(/MUSCOPE_MODELS_FROM/);
  });

  it('never installs a source whose bytes differ from the pin', async () => {
    await writeFile(join(target.sources[0], 'tiny/tiny.onnx'), 'not the pinned bytes');
    await expect(installModel({ ...target, baseUrl: 'http://127.0.0.1:9/' }, entry, log)).rejects.toThrow(
      /does not match its pinned sha256/,
    );
  });
});
