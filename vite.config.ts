import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';
import { offline } from './tooling/vite/offline.ts';
import { wat } from './tooling/vite/wat.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), wat(), offline()],
  // onnxruntime-web's "extern wasm" build loads its .mjs/.wasm from env.wasm.wasmPaths (our
  // /ort/ folder, installed by npm install) instead of bundling a second 27 MB copy.
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es', plugins: () => [wat()] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
});
