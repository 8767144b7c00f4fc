// `window.muscopeDiagnostics`: runs an installed model on a chosen backend with a fixed input and
// returns its raw outputs, to check that WebGPU and WASM agree on this device, for any variant (the e2e suite
// uses it; so can a curious user in the console). It can also lose the worker's GPU device on
// purpose, to test the fall back to WASM.
import type { VariantDtype } from '../encoders/manifest.ts';
import type { BrowserBackend, ProbeResult } from '../worker/protocol.ts';
import { workerClient } from './workerClient.ts';

export interface Diagnostics {
  probe(modelId: string, backend: BrowserBackend, variant?: VariantDtype): Promise<ProbeResult>;
  /** Destroys the GPU device the loaded WebGPU model runs on; resolves with the reason the app gives for WASM from then on. */
  loseGpuDevice(): Promise<string>;
}

declare global {
  interface Window {
    muscopeDiagnostics?: Diagnostics;
  }
}

export function installDiagnostics(): void {
  window.muscopeDiagnostics = {
    probe: (modelId, backend, variant) => workerClient.call('probe', { modelId, backend, variant }),
    loseGpuDevice: async () => (await workerClient.call('lose-gpu-device', {})).reason,
  };
}
