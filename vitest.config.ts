import { defineConfig } from 'vitest/config';
import { wat } from './tooling/vite/wat.ts';

export default defineConfig({
  plugins: [wat()],
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tooling/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
  },
});
