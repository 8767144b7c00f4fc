// What the browser encoder sessions report about their backend; the worker's protocol passes
// these on to the page unchanged.
import type { Backend, VariantDtype } from '../manifest.ts';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type BrowserBackend = Exclude<Backend, 'node'>;

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
}

/** How a WebGPU session reproduced WASM on the probe input before it was kept (ortWeb.ts). */
export interface WebGpuCheck {
  /** largest |WebGPU − WASM| over each output's largest |WASM value| */
  maxRelative: number;
  tolerance: number;
  /** the variant WASM ran: the same one where WASM offers it, else fp32 */
  against: VariantDtype;
}
