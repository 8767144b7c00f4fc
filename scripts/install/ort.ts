// Serves onnxruntime-web's runtime from our own origin: the WebGPU build's .mjs/.wasm pair
// (it also runs the WASM execution provider) is copied to public/ort/.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ortDir, repoRoot } from '../files/paths.ts';

export const ORT_RUNTIME_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'];

export async function installOrtRuntime(log: (l: string) => void): Promise<void> {
  const dist = join(repoRoot, 'node_modules/onnxruntime-web/dist');
  await mkdir(ortDir, { recursive: true });
  for (const name of ORT_RUNTIME_FILES) {
    const from = join(dist, name);
    const to = join(ortDir, name);
    const source = await stat(from);
    const installed = existsSync(to) ? await stat(to) : null;
    if (installed && installed.size === source.size && installed.mtimeMs >= source.mtimeMs) continue;
    await copyFile(from, to);
    log(`installed public/ort/${name}`);
  }
}
