// Chooses the execution backend: WebGPU when an adapter exists and the user has not forced
// WASM, else WASM — always with the reason in plain words. Once the GPU device onnxruntime made
// is lost, WASM for the rest of the worker's life: onnxruntime-web makes its device once per
// worker and cannot make another.
import type { AdapterSummary, BackendPreference, BrowserBackend } from './backendTypes.ts';

export interface BackendChoice {
  backend: BrowserBackend;
  fallbackReason: string | null;
  adapter: GPUAdapter | null;
  summary: AdapterSummary | null;
  shaderF16: boolean;
}

let watched: Pick<GPUDevice, 'lost'> | null = null;
let lostReason: string | null = null;
let announceLoss: () => void = () => undefined;
const lossNoted = new Promise<void>((resolve) => (announceLoss = resolve));

/** Records the loss of the GPU device (first one wins) and returns the reason the user sees. */
export function noteDeviceLost(info: Pick<GPUDeviceLostInfo, 'reason' | 'message'>): string {
  if (lostReason === null) {
    const detail =
      info.message.trim().replace(/\.$/, '') ||
      (info.reason === 'destroyed' ? 'destroyed' : 'reset by the browser or the driver');
    lostReason = `The GPU device was lost (${detail}); running on the CPU through WASM. Reload the page to try the GPU again.`;
    announceLoss();
  }
  return lostReason;
}

/** The plain-words reason once the GPU device is lost, else null. */
export function deviceLostReason(): string | null {
  return lostReason;
}

/** Watches the device the WebGPU sessions run on, so its loss is noted when it happens. */
export function watchDevice(device: Pick<GPUDevice, 'lost'>): void {
  if (watched === device) return;
  watched = device;
  void device.lost.then(noteDeviceLost);
}

/** Whether any device is watched, i.e. a WebGPU session was opened in this worker. */
export function watchingDevice(): boolean {
  return watched !== null;
}

/**
 * The loss reason, waiting up to `graceMs` for it: a GPU call failing on a lost device can reject
 * before the device's `lost` promise settles. Null at once when no device is watched.
 */
export async function deviceLostWithin(graceMs = 1000): Promise<string | null> {
  if (lostReason !== null || watched === null) return lostReason;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([lossNoted, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  return lostReason;
}

function summarise(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description || `${info.vendor} ${info.architecture}`.trim(),
  };
}

export async function chooseBackend(preference: BackendPreference): Promise<BackendChoice> {
  const wasm = (reason: string): BackendChoice => ({
    backend: 'wasm',
    fallbackReason: reason,
    adapter: null,
    summary: null,
    shaderF16: false,
  });
  if (preference === 'wasm') return wasm('WASM was chosen in the settings.');
  if (lostReason !== null) return wasm(lostReason);
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
  return {
    backend: 'webgpu',
    fallbackReason: null,
    adapter,
    summary: summarise(adapter),
    shaderF16: adapter.features.has('shader-f16'),
  };
}
