// `npm run gpu-check:bundle`: builds gpu-check/muscope-gpu-check.tar.gz (git-ignored), all that
// scripts/gpu-check/run.sh needs on a bare Linux x86-64 machine with a GPU and its Vulkan driver:
// this Node binary (stripped), the bench bundled into one file, Dawn's dawn.node,
// onnxruntime-web's WebGPU runtime, the Vulkan loader and one model. Fails over 60 MiB, the
// size a borrowed machine's carry allows with room for the scripts.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { MODELS_DIR, loadManifest, verifiedVariantPath } from '../../src/platform/node/models.ts';
import { watModule } from '../../tooling/vite/wat.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = join(ROOT, 'gpu-check');
const ARCHIVE = join(OUT_DIR, 'muscope-gpu-check.tar.gz');
const LIMIT_BYTES = 60 * 2 ** 20;
const MODEL = 'mobilenetv2-imagenet-trunk';
const ORT_RUNTIME = [
  'ort.webgpu.bundle.min.mjs',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
];
const SYSTEM_LIBS = '/usr/lib/x86_64-linux-gnu';

const require = createRequire(import.meta.url);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * onnxruntime-web stays a file of its own next to bench.mjs: its WASM threads start workers on
 * the module's own URL, which inside bench.mjs would rerun the bench. onnxruntime-node (imported
 * by a module we use only for a helper) is native and not carried: a stub that throws if used.
 */
const runtimePlugin: Plugin = {
  name: 'gpu-check-runtime',
  setup(b) {
    b.onResolve({ filter: /^onnxruntime-web\/webgpu$/ }, () => ({ path: `./${ORT_RUNTIME[0]}`, external: true }));
    b.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: 'onnxruntime-node', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: `const missing = () => { throw new Error('onnxruntime-node is not in the GPU check'); };
        export const InferenceSession = { create: missing };
        export class Tensor { constructor() { missing(); } }`,
    }));
  },
};

/** The engine's WebAssembly text imports (`k.wat`, `k.wat?fma`), assembled as the Vite plugin does. */
const watPlugin: Plugin = {
  name: 'gpu-check-wat',
  setup(b) {
    // one module per file and flavour: the path keeps the query
    b.onResolve({ filter: /\.wat(\?fma)?$/ }, ({ path, resolveDir }) => ({
      path: resolve(resolveDir, path),
      namespace: 'wat',
    }));
    b.onLoad({ filter: /.*/, namespace: 'wat' }, async ({ path }) => {
      const [file, query] = path.split('?');
      return { contents: await watModule(file, query === 'fma'), loader: 'js' };
    });
  },
};

function copyInto(staging: string, from: string, to: string): void {
  mkdirSync(dirname(join(staging, to)), { recursive: true });
  copyFileSync(from, join(staging, to));
}

async function stage(staging: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'scripts/gpu-check/bench.ts')],
    outfile: join(staging, 'bench.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    plugins: [runtimePlugin, watPlugin],
    logLevel: 'warning',
  });
  const ortDist = dirname(require.resolve('onnxruntime-web/webgpu'));
  for (const file of ORT_RUNTIME) copyInto(staging, join(ortDist, file), file);
  // The webgpu package loads dist/<platform>-<arch>/dawn.node next to its own module, which is now bench.mjs.
  const webgpuDir = dirname(require.resolve('webgpu'));
  copyInto(staging, join(webgpuDir, 'dist/linux-x64/dawn.node'), 'dist/linux-x64/dawn.node');
  // A bare machine may have the NVIDIA driver's ICD but no loader; run.sh uses this one only then.
  copyInto(staging, realpathSync(join(SYSTEM_LIBS, 'libvulkan.so.1')), 'lib/vulkan/libvulkan.so.1');
  // dawn.node needs GLIBCXX_3.4.30 (GCC 12's libstdc++); run.sh uses these only where the system's cannot load it.
  for (const lib of ['libstdc++.so.6', 'libgcc_s.so.1'])
    copyInto(staging, realpathSync(join(SYSTEM_LIBS, lib)), `lib/cxx/${lib}`);
  const manifest = loadManifest(MODEL);
  copyInto(staging, join(MODELS_DIR, MODEL, 'manifest.json'), `models/${MODEL}/manifest.json`);
  for (const dtype of ['fp32', 'fp16'] as const) {
    const { path, variant } = await verifiedVariantPath(manifest, dtype);
    copyInto(staging, path, `models/${MODEL}/${variant.file}`);
  }
  copyInto(staging, process.execPath, 'node');
  // Symbols only: .dynsym, which dawn.node links against, stays. Saves about 12 MiB.
  execFileSync('strip', [join(staging, 'node')]);
}

async function archive(staging: string): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const tar = spawn('tar', ['-cf', '-', '-C', staging, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((done) => tar.on('close', done));
  await pipeline(tar.stdout, createGzip({ level: 9 }), createWriteStream(ARCHIVE));
  if ((await exited) !== 0) throw new Error('tar failed');
}

const staging = mkdtempSync(join(tmpdir(), 'muscope-gpu-check-'));
try {
  await stage(staging);
  await archive(staging);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
const bytes = statSync(ARCHIVE).size;
console.log(`${ARCHIVE}: ${mib(bytes)} (limit ${mib(LIMIT_BYTES)})`);
if (bytes > LIMIT_BYTES) {
  console.error(`the GPU check bundle is over ${mib(LIMIT_BYTES)}`);
  process.exitCode = 1;
}
