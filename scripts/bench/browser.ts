// What the browser cases of `npm run bench` share besides Chromium itself (../chromium.ts): the
// `vite preview` origin they load from, and the label that keeps a SwiftShader (software)
// WebGPU figure from passing for a GPU speed.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchBackend } from '../../tooling/browser/harness/protocol.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.MUSCOPE_BENCH_PORT ?? 4173);
export const origin = `http://127.0.0.1:${port}`;
/** The record's backend: webgpu on SwiftShader is `webgpu-swiftshader`, never a GPU speed. */
export const backendLabel = (backend: BenchBackend, adapterArchitecture: string | undefined): string =>
  backend === 'webgpu' && adapterArchitecture === 'swiftshader' ? 'webgpu-swiftshader' : backend;

async function reachable(): Promise<boolean> {
  try {
    return (await fetch(`${origin}/ort/ort-wasm-simd-threaded.asyncify.mjs`, { method: 'HEAD' })).ok;
  } catch {
    return false;
  }
}

/** Starts `vite preview` on dist/ unless a server already answers; returns the process it started. */
export async function ensurePreview(): Promise<ChildProcess | null> {
  if (await reachable()) return null;
  if (!existsSync(`${repoRoot}dist/ort`))
    throw new Error('dist/ has no onnxruntime files; run `npx vite build` first.');
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const server = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: repoRoot, stdio: 'ignore' },
  );
  for (let waited = 0; waited < 30_000; waited += 250) {
    if (await reachable()) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill();
  throw new Error(`vite preview did not answer on ${origin} within 30 s`);
}
