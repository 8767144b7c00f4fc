// onnxruntime-web sessions for a model variant: WebGPU first when chosen, WASM as the fallback on
// a failed session, unsupported ops, NaN output or a lost GPU device, with the reason kept for the UI.
import * as ort from 'onnxruntime-web/webgpu';
import { EncoderError } from '../errors.ts';
import type { ModelManifest, ModelVariant, VariantDtype } from '../manifest.ts';
import type { BrowserBackend } from '../../worker/protocol.ts';
import { deviceLostWithin, noteDeviceLost, watchDevice, watchingDevice, type BackendChoice } from './backend.ts';
import { probeInput } from '../probeInput.ts';

let configured = false;

/** Serves the runtime from our origin and uses every core we may when cross-origin isolated. */
export function configureOrt(): number {
  const threads = globalThis.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)) : 1;
  if (!configured) {
    ort.env.wasm.wasmPaths = `${import.meta.env?.BASE_URL ?? '/'}ort/`;
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return threads;
}

/** fp16 where the adapter has shader-f16 and the manifest offers it; fp32 otherwise. */
export function pickVariant(manifest: ModelManifest, backend: BrowserBackend, shaderF16: boolean, wanted?: VariantDtype): ModelVariant {
  const offered = manifest.variants.filter((v) => v.backends.includes(backend) && (!v.requiresFeature || shaderF16));
  const byDtype = (d: VariantDtype) => offered.find((v) => v.dtype === d);
  const chosen = (wanted && byDtype(wanted)) ?? (backend === 'webgpu' && shaderF16 ? byDtype('fp16') : undefined) ?? byDtype('fp32');
  if (!chosen) throw new EncoderError('session-failed', `Model "${manifest.id}" offers no variant for ${backend}.`);
  return chosen;
}

export type SessionOutputs = Record<string, { dims: number[]; data: Float32Array }>;

export async function runSession(session: ort.InferenceSession, inputName: string, input: Float32Array, batch: number, size: number): Promise<SessionOutputs> {
  const feeds = { [inputName]: new ort.Tensor('float32', input, [batch, 3, size, size]) };
  const results = await session.run(feeds);
  const out: SessionOutputs = {};
  for (const [name, tensor] of Object.entries(results)) {
    out[name] = { dims: [...tensor.dims], data: (await tensor.getData(true)) as Float32Array };
    tensor.dispose();
  }
  return out;
}

function hasNaN(outputs: SessionOutputs): boolean {
  return Object.values(outputs).some(({ data }) => data.some((v) => !Number.isFinite(v)));
}

export interface ReadySession {
  session: ort.InferenceSession;
  backend: BrowserBackend;
  fallbackReason: string | null;
  warmupMs: number;
}

async function createOn(backend: BrowserBackend, bytes: ArrayBuffer): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: [backend], graphOptimizationLevel: 'all' });
}

/**
 * Creates and warms up a session (the first run compiles shaders). WebGPU failures of any kind
 * fall back to WASM; the reason is returned so the user sees why.
 */
export async function openSession(manifest: ModelManifest, choice: BackendChoice, loadBytes: (backend: BrowserBackend) => Promise<ArrayBuffer>): Promise<ReadySession> {
  const size = manifest.input.size;
  const warm = async (session: ort.InferenceSession) => {
    const t0 = performance.now();
    const outputs = await runSession(session, manifest.input.name, probeInput(size), 1, size);
    return { outputs, ms: performance.now() - t0 };
  };
  if (choice.backend === 'webgpu') {
    if (choice.adapter) ort.env.webgpu.adapter = choice.adapter;
    let reason: string;
    try {
      const session = await createOn('webgpu', await loadBytes('webgpu'));
      watchDevice(await ort.env.webgpu.device);
      const { outputs, ms } = await warm(session);
      if (!hasNaN(outputs)) return { session, backend: 'webgpu', fallbackReason: null, warmupMs: ms };
      await session.release();
      reason = 'The model gave invalid numbers (NaN) on WebGPU; running on the CPU through WASM instead.';
    } catch (err) {
      if (err instanceof EncoderError && err.code !== 'session-failed') throw err;
      reason = (await deviceLostWithin()) ?? `WebGPU could not run this model (${err instanceof Error ? err.message : String(err)}); running on the CPU through WASM instead.`;
    }
    return { ...(await openWasm(manifest, loadBytes, warm)), fallbackReason: reason };
  }
  return { ...(await openWasm(manifest, loadBytes, warm)), fallbackReason: choice.fallbackReason };
}

async function openWasm(
  manifest: ModelManifest,
  loadBytes: (backend: BrowserBackend) => Promise<ArrayBuffer>,
  warm: (s: ort.InferenceSession) => Promise<{ outputs: SessionOutputs; ms: number }>,
): Promise<Omit<ReadySession, 'fallbackReason'>> {
  let session: ort.InferenceSession;
  try {
    session = await createOn('wasm', await loadBytes('wasm'));
  } catch (err) {
    if (err instanceof EncoderError) throw err;
    throw new EncoderError('session-failed', `Model "${manifest.id}" could not be loaded (${err instanceof Error ? err.message : String(err)}). Reinstall it with \`npm install\`.`);
  }
  const { outputs, ms } = await warm(session);
  if (hasNaN(outputs)) throw new EncoderError('bad-output', `Model "${manifest.id}" produced invalid numbers (NaN) even on WASM; the model file is likely broken. Reinstall it.`);
  return { session, backend: 'wasm', warmupMs: ms };
}

/**
 * Diagnostics and tests only: destroys the GPU device onnxruntime runs on, as a driver reset would
 * lose it, and returns the reason the app now gives for running on WASM. Only once a WebGPU
 * session was opened: before that, asking onnxruntime for its device would create one.
 */
export async function destroyOrtDevice(): Promise<string> {
  if (!watchingDevice()) throw new EncoderError('session-failed', 'No model has run on WebGPU in this worker yet, so there is no GPU device to lose.');
  const device = await ort.env.webgpu.device;
  device.destroy();
  return noteDeviceLost(await device.lost);
}
