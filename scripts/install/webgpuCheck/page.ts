// Browser side of the install-time WebGPU check (../webgpuCheck.ts): runs one variant's probe
// input on WebGPU and on WASM with the app's own session code, and returns only the figures.
import { agreementTolerance, worstRelative } from '../../../src/encoders/agreement.ts';
import type { VariantDtype } from '../../../src/encoders/manifest.ts';
import { probeInput } from '../../../src/encoders/probeInput.ts';
import { configureOrt, createSession, runSession, type SessionOutputs } from '../../../src/encoders/web/ortWeb.ts';
import type { BrowserBackend } from '../../../src/worker/protocol.ts';

export interface CheckRequest {
  input: { name: string; size: number };
  gpu: { url: string; dtype: VariantDtype };
  cpu: { url: string; dtype: VariantDtype };
}

export interface CheckFigures {
  maxRelative: number | null;
  tolerance: number;
}

export interface InstallCheckPage {
  adapter(): Promise<{ description: string; shaderF16: boolean } | null>;
  check(request: CheckRequest): Promise<CheckFigures>;
}

declare global {
  var muscopeInstallCheck: InstallCheckPage | undefined;
}

async function probeOn(backend: BrowserBackend, url: string, { name, size }: CheckRequest['input']): Promise<SessionOutputs> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const session = await createSession(backend, await response.arrayBuffer());
  try {
    return await runSession(session, name, probeInput(size), 1, size);
  } finally {
    await session.release();
  }
}

configureOrt();
globalThis.muscopeInstallCheck = {
  async adapter() {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const { vendor, architecture, description } = adapter.info;
    return { description: description || `${vendor} ${architecture}`.trim(), shaderF16: adapter.features.has('shader-f16') };
  },
  async check({ input, gpu, cpu }) {
    const worst = worstRelative(await probeOn('webgpu', gpu.url, input), await probeOn('wasm', cpu.url, input));
    return { maxRelative: Number.isFinite(worst) ? worst : null, tolerance: agreementTolerance(gpu.dtype) };
  },
};
