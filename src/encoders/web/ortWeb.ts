// onnxruntime-web sessions for a model variant: WebGPU first when chosen, WASM as the fallback on
// a failed session, unsupported ops, NaN output, disagreement with WASM or a lost GPU device,
// with the reason kept for the UI.
import * as ort from 'onnxruntime-web/webgpu';
import { EncoderError } from '../errors.ts';
import type { ModelManifest, ModelVariant, VariantDtype } from '../manifest.ts';
import type { BrowserBackend, WebGpuCheck } from './backendTypes.ts';
import { deviceLostWithin, noteDeviceLost, watchDevice, watchingDevice, type BackendChoice } from './backend.ts';
import { agreementTolerance, worstRelative } from '../agreement.ts';
import { probeInput } from '../probeInput.ts';

let configured = false;

/**
 * Firefox: onnxruntime-web's threaded build has hung there now and then, creating or running a
 * session (a reload stuck at "Compiling the model", a run that never started encoding, an add
 * stuck at a variant's check; README "Browsers"), so it runs single-threaded there. The kernel
 * pool's workers still use every core for mutual scoring.
 */
const threadsHang = /\bFirefox\//.test(globalThis.navigator?.userAgent ?? '');

/** Serves the runtime from our origin and uses every core we may when cross-origin isolated. */
export function configureOrt(): number {
  const threads =
    globalThis.crossOriginIsolated && !threadsHang ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)) : 1;
  if (!configured) {
    ort.env.wasm.wasmPaths = `${import.meta.env?.BASE_URL ?? '/'}ort/`;
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return threads;
}

/** fp16 where the adapter has shader-f16 and the manifest offers it; fp32 otherwise. */
export function pickVariant(
  manifest: ModelManifest,
  backend: BrowserBackend,
  shaderF16: boolean,
  wanted?: VariantDtype,
): ModelVariant {
  const offered = manifest.variants.filter((v) => v.backends.includes(backend) && (!v.requiresFeature || shaderF16));
  const byDtype = (d: VariantDtype) => offered.find((v) => v.dtype === d);
  const chosen =
    (wanted && byDtype(wanted)) ?? (backend === 'webgpu' && shaderF16 ? byDtype('fp16') : undefined) ?? byDtype('fp32');
  if (!chosen) throw new EncoderError('session-failed', `Model "${manifest.id}" offers no variant for ${backend}.`);
  return chosen;
}

export type SessionOutputs = Record<string, { dims: number[]; data: Float32Array }>;

export async function runSession(
  session: ort.InferenceSession,
  inputName: string,
  input: Float32Array,
  batch: number,
  size: number,
): Promise<SessionOutputs> {
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
  /** the variant this session runs */
  variant: VariantDtype;
  fallbackReason: string | null;
  /** on WebGPU: how closely it reproduced WASM on the probe input */
  webgpuCheck: WebGpuCheck | null;
  warmupMs: number;
}

/** The variant's file for a backend (the same dtype on WASM where offered, else fp32: pickVariant), or of `dtype` when given. */
export type VariantBytes = (
  backend: BrowserBackend,
  dtype?: VariantDtype,
) => Promise<{ bytes: ArrayBuffer; dtype: VariantDtype }>;

/**
 * On WebGPU the outputs named in `onGpu` (the model's taps) stay on the GPU for our kernels
 * (encoders/web/deviceTaps.ts); runSession still reads them back when asked.
 */
export async function createSession(
  backend: BrowserBackend,
  bytes: ArrayBuffer,
  onGpu: readonly string[] = [],
): Promise<ort.InferenceSession> {
  const preferredOutputLocation =
    backend === 'webgpu' ? Object.fromEntries(onGpu.map((name) => [name, 'gpu-buffer' as const])) : undefined;
  return ort.InferenceSession.create(new Uint8Array(bytes), {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    preferredOutputLocation,
  });
}

interface Warm {
  session: ort.InferenceSession;
  variant: VariantDtype;
  outputs: SessionOutputs;
  ms: number;
}

/**
 * Creates and warms up a session (the first run compiles shaders). On WebGPU the warm-up output
 * is compared with the same variant on WASM before the GPU session is kept: WebGPU failures of
 * any kind, NaN and disagreement fall back to that WASM session, with the reason for the user.
 */
export async function openSession(
  manifest: ModelManifest,
  choice: BackendChoice,
  loadBytes: VariantBytes,
  onCheck: () => void = () => undefined,
): Promise<ReadySession> {
  const size = manifest.input.size;
  const warm = async (session: ort.InferenceSession, variant: VariantDtype): Promise<Warm> => {
    const t0 = performance.now();
    const outputs = await runSession(session, manifest.input.name, probeInput(size), 1, size);
    return { session, variant, outputs, ms: performance.now() - t0 };
  };
  const onWasm = ({ session, variant, ms }: Warm, fallbackReason: string | null): ReadySession => ({
    session,
    backend: 'wasm',
    variant,
    fallbackReason,
    webgpuCheck: null,
    warmupMs: ms,
  });
  if (choice.backend !== 'webgpu') return onWasm(await openWasm(manifest, loadBytes, warm), choice.fallbackReason);

  if (choice.adapter) ort.env.webgpu.adapter = choice.adapter;
  const openGpu = async (dtype?: VariantDtype): Promise<Warm> => {
    const loaded = await loadBytes('webgpu', dtype);
    const session = await createSession(
      'webgpu',
      loaded.bytes,
      manifest.taps.map((t) => t.name),
    );
    watchDevice(await ort.env.webgpu.device);
    return warm(session, loaded.dtype);
  };
  let gpu: Warm;
  try {
    gpu = await openGpu();
  } catch (err) {
    if (err instanceof EncoderError && err.code !== 'session-failed') throw err;
    const reason =
      (await deviceLostWithin()) ??
      `WebGPU could not run this model (${err instanceof Error ? err.message : String(err)}); running on the CPU through WASM instead.`;
    return onWasm(await openWasm(manifest, loadBytes, warm), reason);
  }
  onCheck();
  const cpu = await openWasm(manifest, loadBytes, warm);
  const judge = (candidate: Warm): { check: WebGpuCheck; problem: string | null } => {
    const check: WebGpuCheck = {
      maxRelative: worstRelative(candidate.outputs, cpu.outputs),
      tolerance: agreementTolerance(candidate.variant),
      against: cpu.variant,
    };
    const problem = hasNaN(candidate.outputs)
      ? `The ${candidate.variant} model gave invalid numbers (NaN) on WebGPU`
      : check.maxRelative <= check.tolerance
        ? null
        : `The ${candidate.variant} model gave different results on this GPU than on the CPU (largest relative difference ${check.maxRelative.toExponential(1)}, allowed ${check.tolerance})`;
    return { check, problem };
  };
  const onGpu = (kept: Warm, check: WebGpuCheck, fallbackReason: string | null): ReadySession => ({
    session: kept.session,
    backend: 'webgpu',
    variant: kept.variant,
    fallbackReason,
    webgpuCheck: check,
    warmupMs: kept.ms,
  });
  const first = judge(gpu);
  if (first.problem === null) {
    await cpu.session.release();
    return onGpu(gpu, first.check, null);
  }
  await gpu.session.release();
  // fp16 (or another variant checked against fp32) may be off on this GPU while fp32 is fine:
  // fp32 on the GPU, against the same reference, before giving the GPU up.
  if (gpu.variant !== 'fp32' && cpu.variant === 'fp32') {
    const fp32 = await openGpu('fp32').catch(() => null);
    const second = fp32 && judge(fp32);
    if (fp32 && second?.problem === null) {
      await cpu.session.release();
      return onGpu(fp32, second.check, `${first.problem}; running fp32 on WebGPU instead.`);
    }
    await fp32?.session.release();
  }
  return onWasm(cpu, `${first.problem}; running on the CPU through WASM instead.`);
}

async function openWasm(
  manifest: ModelManifest,
  loadBytes: VariantBytes,
  warm: (s: ort.InferenceSession, v: VariantDtype) => Promise<Warm>,
): Promise<Warm> {
  let session: ort.InferenceSession;
  let variant: VariantDtype;
  try {
    const { bytes, dtype } = await loadBytes('wasm');
    variant = dtype;
    session = await createSession('wasm', bytes);
  } catch (err) {
    if (err instanceof EncoderError) throw err;
    throw new EncoderError(
      'session-failed',
      `Model "${manifest.id}" could not be loaded (${err instanceof Error ? err.message : String(err)}). Reinstall it with \`npm install\`.`,
    );
  }
  const warmed = await warm(session, variant);
  if (hasNaN(warmed.outputs))
    throw new EncoderError(
      'bad-output',
      `Model "${manifest.id}" produced invalid numbers (NaN) even on WASM; the model file is likely broken. Reinstall it.`,
    );
  return warmed;
}

/**
 * Diagnostics and tests only: destroys the GPU device onnxruntime runs on, as a driver reset would
 * lose it, and returns the reason the app now gives for running on WASM. Only once a WebGPU
 * session was opened: before that, asking onnxruntime for its device would create one.
 */
export async function destroyOrtDevice(): Promise<string> {
  if (!watchingDevice())
    throw new EncoderError(
      'session-failed',
      'No model has run on WebGPU in this worker yet, so there is no GPU device to lose.',
    );
  const device = await ort.env.webgpu.device;
  device.destroy();
  return noteDeviceLost(await device.lost);
}
