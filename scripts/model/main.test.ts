import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { model } from './modelCli.testing.ts';
import { generateFixtures } from '../fixtures/index.ts';

let fixtures: string;
beforeAll(async () => {
  fixtures = await mkdtemp(join(tmpdir(), 'cli-fixtures-'));
  await generateFixtures(fixtures);
});

describe('npm run model', () => {
  it('tap: writes model.onnx and manifest.json and says what it found', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cli-tap-')), 'tapped-clip');
    const result = await model(
      'tap',
      join(fixtures, 'fixture-clip-vit/export.onnx'),
      '--family',
      'clip',
      '--out',
      out,
      '--layers',
      '1,3',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'structure: 4 blocks (exporter names confirm 3 of 4), patch 8, input pixel_values 56 px → 7×7 grid',
    );
    expect(result.stdout).toContain('taps: layer_1, layer_3: [B, 50, 64] each, 0 registers, raw residual stream');
    expect(result.stdout).toContain('embedding: image_embedding [B, 32], L2-normalised (normalisation added)');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ id: 'tapped-clip', family: 'clip', fixture: false, input: { size: 56 } });
    expect(manifest.source).toMatch(/^tapped from export\.onnx \(sha256 [0-9a-f]{64}\)$/);
  });

  it('fails in one line with exit code 1', async () => {
    const result = await model(
      'tap',
      join(fixtures, 'fixture-clip-vit/export.onnx'),
      '--family',
      'dinov2',
      '--out',
      tmpdir(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^model tap: no LayerNorm on the last block output/),
    ]);
    const unknown = await model('frobnicate');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^unknown command: frobnicate\nusage: npm run model -- <command> …\n {2}tap .*\n {2}add /,
    );
  });
});
