import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { layerZones } from './tooling/lint/layers.js';

export default tseslint.config(
  { ignores: ['dist/', 'public/', 'node_modules/', 'test-results/', 'playwright-report/', 'out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Imports point one way between the rooms (README, Architecture).
    files: ['**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.testing.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones({ tests: false }) }] },
  },
  {
    files: ['**/*.test.ts', '**/*.testing.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones({ tests: true }) }] },
  },
  {
    // The engine runs in a worker, in Node and in tests: no DOM, no React, no Node built-ins.
    files: ['src/engine/**/*.ts', 'src/gpu/**/*.ts', 'src/encoders/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'react', 'react-dom', 'sharp', 'onnxruntime-node'] },
      ],
    },
  },
);
