// Bundles gpu-harness.ts (engine + src/gpu + onnxruntime-web) into out/harness/, which is
// git-ignored. onnxruntime-web is resolved like the app's build: its .mjs/.wasm are fetched at run
// time from the app origin's /ort/ folder (dist/ort after `vite build`).

import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions } from 'vite';
import { wat } from '../../vite/wat.ts';

export const HARNESS_DIR = fileURLToPath(new URL('../../../out/harness/', import.meta.url));
export const HARNESS_SCRIPT = 'gpu-harness.js';
/** Path the harness is served under on the app's origin (serve.ts); its worker's URL starts with it. */
export const HARNESS_BASE = '/__harness/';

export async function buildHarness(): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('../../../..', import.meta.url)),
    publicDir: false,
    base: HARNESS_BASE,
    plugins: [wat()],
    worker: { format: 'es', plugins: () => [wat()] },
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
    build: {
      outDir: HARNESS_DIR,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      lib: {
        entry: fileURLToPath(new URL('gpu-harness.ts', import.meta.url)),
        formats: ['es'],
        fileName: () => HARNESS_SCRIPT,
      },
    },
  });
}
