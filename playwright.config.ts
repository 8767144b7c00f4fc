import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. WebGPU runs headless through SwiftShader
// (numerically real, timing-meaningless) on a 127.0.0.1 page, which is a secure context.
const chromium = process.env.MUSCOPE_CHROMIUM ?? '/usr/bin/chromium';
// Debian's Firefox ESR, driven through WebDriver BiDi (Playwright's 'moz-firefox' channel). ESR
// lacks a BiDi command Playwright sends when it opens a context and names downloads by URL
// rather than by id; patches/ (applied by patch-package on install) bridges both. README: "Browsers".
const firefox = process.env.MUSCOPE_FIREFOX ?? '/usr/bin/firefox-esr';
const common = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const webgpu = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];
const port = Number(process.env.MUSCOPE_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure' },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  projects: [
    {
      name: 'webgpu',
      metadata: { backend: 'webgpu' },
      use: { launchOptions: { executablePath: chromium, args: [...common, ...webgpu] } },
    },
    { name: 'wasm', metadata: { backend: 'wasm' }, use: { launchOptions: { executablePath: chromium, args: common } } },
    {
      name: 'firefox',
      metadata: { backend: 'wasm' },
      testMatch: [
        'inspect.spec.ts',
        'offline.spec.ts',
        'privacy.spec.ts',
        'wasmKernel.spec.ts',
        'fileCorpus.spec.ts',
        'addModel.spec.ts',
      ],
      use: { browserName: 'firefox', channel: 'moz-firefox', launchOptions: { executablePath: firefox } },
    },
  ],
});
