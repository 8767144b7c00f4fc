import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, sha256Hex } from '../onnx/index.ts';
import { buildVitModel } from '../fixtures/vit-graph.ts';
import { clipFixture, dinov2Fixture } from '../fixtures/specs.ts';
import { addModel } from './add.ts';
import { type CatalogEntry, catalogEntry, downloadUrl } from './catalog.ts';

let exportFile: string;
let exportBytes: Uint8Array;
let clipExportFile: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'add-src-'));
  exportFile = join(dir, 'export.onnx');
  exportBytes = encodeModel(buildVitModel(dinov2Fixture, { form: 'export' }));
  await writeFile(exportFile, exportBytes);
  clipExportFile = join(dir, 'clip-export.onnx');
  await writeFile(clipExportFile, encodeModel(buildVitModel(clipFixture, { form: 'export' })));
});

let server: Server | undefined;
afterEach(() => server?.close());

/** Serves `body` at every path, like a Hub mirror would serve the export. */
async function serve(body: Uint8Array): Promise<string> {
  server = createServer((_, response) => response.end(body));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

const pinnedTo = (bytes: Uint8Array): CatalogEntry => ({
  ...catalogEntry('dinov2-small'),
  pin: { sha256: sha256Hex(bytes), bytes: bytes.byteLength, provenance: 'test' },
});

describe('add', () => {
  it('installs from a local export (--from), warning that it is not the pinned upstream file', async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'add-models-'));
    const lines: string[] = [];
    const added = await addModel({
      entry: catalogEntry('dinov2-small'),
      modelsDir,
      from: exportFile,
      log: (l) => lines.push(l),
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^warning: .*export\.onnx is not the pinned upstream file \(sha256 [0-9a-f]{64}\); installing it as a local export$/,
      ),
    ]);
    expect((await readdir(join(modelsDir, 'dinov2-small'))).sort()).toEqual(['manifest.json', 'model.onnx']);
    const manifest = JSON.parse(await readFile(join(modelsDir, 'dinov2-small', 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(added.manifest);
    // the export's fixed 112 px wins over the catalog's 336, which only applies to dynamic exports
    expect(manifest).toMatchObject({
      id: 'dinov2-small',
      family: 'dinov2',
      fixture: false,
      license: 'Apache-2.0 (Meta DINOv2)',
      input: { size: 112, resize: 'bilinear' },
    });
    expect(manifest.source).toMatch(
      /^local export .*; upstream https:\/\/huggingface\.co\/onnx-community\/dinov2-small\/resolve\/8b1f705a3a7f6f062f6bdd21986c1583d3ef105d\/onnx\/model\.onnx not verified$/,
    );
    expect(manifest.taps.map((t: { name: string }) => t.name)).toEqual(['layer_0', 'layer_1', 'layer_2', 'layer_3']);
    expect(manifest.variants[0].sha256).toBe(sha256Hex(await readFile(join(modelsDir, 'dinov2-small', 'model.onnx'))));
  });

  it('installs an unpinned entry from --from, saying it could not be checked', async () => {
    const lines: string[] = [];
    const added = await addModel({
      entry: catalogEntry('clip-vit-base-patch16'),
      modelsDir: await mkdtemp(join(tmpdir(), 'add-')),
      from: clipExportFile,
      log: (l) => lines.push(l),
    });
    expect(added.manifest).toMatchObject({
      id: 'clip-vit-base-patch16',
      family: 'clip',
      input: { size: 56, resize: 'bicubic' },
      embedding: { dim: 32, normalized: true },
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^warning: .*clip-export\.onnx cannot be checked \(clip-vit-base-patch16 has no pinned sha256\) \(sha256 [0-9a-f]{64}\); installing it as a local export$/,
      ),
    ]);
  });

  it('refuses to download an unpinned entry, saying how to use --from', async () => {
    const entry = catalogEntry('clip-vit-base-patch16');
    expect(entry.pin).toBeUndefined();
    await expect(addModel({ entry, modelsDir: await mkdtemp(join(tmpdir(), 'add-')), log: () => {} })).rejects.toThrow(
      /^clip-vit-base-patch16 has no pinned sha256, so its download would be unverified and is refused: .* npm run model -- add clip-vit-base-patch16 --from <file\.onnx>$/,
    );
  });

  it('downloads a pinned file, verifies it and installs it', async () => {
    const endpoint = await serve(exportBytes);
    const modelsDir = await mkdtemp(join(tmpdir(), 'add-models-'));
    const added = await addModel({ entry: pinnedTo(exportBytes), modelsDir, endpoint, log: () => {} });
    expect(added.manifest.source).toBe(
      `${endpoint}/onnx-community/dinov2-small/resolve/8b1f705a3a7f6f062f6bdd21986c1583d3ef105d/onnx/model.onnx (sha256 ${sha256Hex(exportBytes)}, verified)`,
    );
    expect(added.tapped.taps).toHaveLength(4);
  });

  it('refuses a download that does not match its pin, installing nothing', async () => {
    const endpoint = await serve(exportBytes.slice(0, 1000));
    const modelsDir = await mkdtemp(join(tmpdir(), 'add-models-'));
    await expect(addModel({ entry: pinnedTo(exportBytes), modelsDir, endpoint, log: () => {} })).rejects.toThrow(
      /does not match its pinned sha256 and size \(corrupt\); nothing was installed$/,
    );
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it('says in one line that the download is unreachable and how to use --from', async () => {
    const endpoint = await serve(exportBytes);
    server?.close();
    const error = await addModel({ entry: pinnedTo(exportBytes), modelsDir: tmpdir(), endpoint, log: () => {} }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^download unreachable: http:\/\/127\.0\.0\.1:\d+\/.* \(fetch failed: .*ECONNREFUSED.*\); without network, get the file another way and run npm run model -- add dinov2-small --from <file\.onnx>$/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it('builds Hub URLs at the pinned revision, honouring a mirror', () => {
    expect(downloadUrl(catalogEntry('dinov2-base'), 'https://hf-mirror.com/')).toBe(
      'https://hf-mirror.com/onnx-community/dinov2-base/resolve/31ef06cac16d5d301c5930d147002a058c85a5e4/onnx/model.onnx',
    );
    expect(() => catalogEntry('vit-huge')).toThrow(
      /no model named vit-huge: one of clip-vit-base-patch16, dinov2-small, dinov2-base/,
    );
  });
});
