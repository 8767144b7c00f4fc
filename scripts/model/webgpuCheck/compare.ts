// One variant's probe input on WebGPU against its reference on WASM, with the app's own session
// code: the same comparison in headless Chromium (page.ts) and in Node on Dawn (node.ts).
import { agreementTolerance, worstRelative } from '../../../src/encoders/agreement.ts';
import type { VariantDtype } from '../../../src/encoders/manifest.ts';
import { probeInput } from '../../../src/encoders/probeInput.ts';
import { adapterName } from '../../../src/gpu/device.ts';
import { createSession, runSession, type SessionOutputs } from '../../../src/encoders/web/ortWeb.ts';
import type { BrowserBackend } from '../../../src/worker/protocol.ts';

export interface CheckRequest {
  input: { name: string; size: number };
  /** files as /models/<id>/<file> */
  gpu: { url: string; dtype: VariantDtype };
  cpu: { url: string; dtype: VariantDtype };
}

export interface CheckFigures {
  maxRelative: number | null;
  tolerance: number;
}

/** The adapter a check ran on, as the manifest records it. */
export interface AdapterSummary {
  description: string;
  shaderF16: boolean;
}

export function adapterSummary({ info, features }: GPUAdapter): AdapterSummary {
  return { description: adapterName(info), shaderF16: features.has('shader-f16') };
}

/** Where the check runs: an adapter and the comparison on it (Chromium's page, or Dawn in Node). */
export interface Checker {
  adapter: AdapterSummary;
  check(request: CheckRequest): Promise<CheckFigures>;
  close?(): Promise<void>;
}

/** Reads a model file named by its /models/… URL. */
export type ModelBytes = (url: string) => Promise<ArrayBuffer>;

async function probeOn(
  backend: BrowserBackend,
  bytes: ArrayBuffer,
  { name, size }: CheckRequest['input'],
): Promise<SessionOutputs> {
  const session = await createSession(backend, bytes);
  try {
    return await runSession(session, name, probeInput(size), 1, size);
  } finally {
    await session.release();
  }
}

export async function compareOnProbe(load: ModelBytes, { input, gpu, cpu }: CheckRequest): Promise<CheckFigures> {
  const worst = worstRelative(
    await probeOn('webgpu', await load(gpu.url), input),
    await probeOn('wasm', await load(cpu.url), input),
  );
  return { maxRelative: Number.isFinite(worst) ? worst : null, tolerance: agreementTolerance(gpu.dtype) };
}
