// Chooses the execution backend: WebGPU when an adapter exists and the user has not forced
// WASM, else WASM — always with the reason in plain words.
import type { AdapterSummary, BackendPreference, BrowserBackend } from '../../worker/protocol.ts';

export interface BackendChoice {
  backend: BrowserBackend;
  fallbackReason: string | null;
  adapter: GPUAdapter | null;
  summary: AdapterSummary | null;
  shaderF16: boolean;
}

function summarise(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  return { vendor: info.vendor, architecture: info.architecture, description: info.description || `${info.vendor} ${info.architecture}`.trim() };
}

export async function chooseBackend(preference: BackendPreference): Promise<BackendChoice> {
  const wasm = (reason: string): BackendChoice => ({ backend: 'wasm', fallbackReason: reason, adapter: null, summary: null, shaderF16: false });
  if (preference === 'wasm') return wasm('WASM was chosen in the settings.');
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    return wasm('This browser has no WebGPU (or the page is not on https/localhost); running on the CPU through WASM.');
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return wasm(`WebGPU adapter request failed (${String(err)}); running on the CPU through WASM.`);
  }
  if (!adapter) return wasm('No WebGPU adapter is available on this device; running on the CPU through WASM.');
  return { backend: 'webgpu', fallbackReason: null, adapter, summary: summarise(adapter), shaderF16: adapter.features.has('shader-f16') };
}
