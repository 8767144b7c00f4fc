// Browser side of the install-time WebGPU check (../webgpuCheck.ts): runs one variant's probe
// input on WebGPU and on WASM with the app's own session code, and returns only the figures.
import { configureOrt } from '../../../src/encoders/web/ortWeb.ts';
import {
  adapterSummary,
  compareOnProbe,
  type AdapterSummary,
  type CheckFigures,
  type CheckRequest,
} from './compare.ts';

export interface InstallCheckPage {
  adapter(): Promise<AdapterSummary | null>;
  check(request: CheckRequest): Promise<CheckFigures>;
}

declare global {
  var muscopeInstallCheck: InstallCheckPage | undefined;
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

configureOrt();
globalThis.muscopeInstallCheck = {
  async adapter() {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
    return adapter ? adapterSummary(adapter) : null;
  },
  check: (request) => compareOnProbe(fetchBytes, request),
};
