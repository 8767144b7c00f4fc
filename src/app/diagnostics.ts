// `window.muscopeDiagnostics`: runs an installed model on a chosen backend with a fixed input and
// returns its raw outputs, to check that WebGPU and WASM agree on this device, for any variant (the e2e suite
// uses it; so can a curious user in the console).
import type { VariantDtype } from '../encoders/manifest.ts';
import type { BrowserBackend, ProbeResult } from '../worker/protocol.ts';
import { workerClient } from './workerClient.ts';

export interface Diagnostics {
  probe(modelId: string, backend: BrowserBackend, variant?: VariantDtype): Promise<ProbeResult>;
}

declare global {
  interface Window {
    muscopeDiagnostics?: Diagnostics;
  }
}

export function installDiagnostics(): void {
  window.muscopeDiagnostics = { probe: (modelId, backend, variant) => workerClient.call('probe', { modelId, backend, variant }) };
}
