import { defineConfig } from 'vitest/config';
import { wat } from './tooling/vite/wat.ts';

export default defineConfig({
  plugins: [wat()],
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tooling/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
    // Relaxed SIMD, on by default in Chromium and Node ≥ 22, so the fused MSM kernel is tested too.
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
