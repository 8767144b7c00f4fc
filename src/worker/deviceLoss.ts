// A run whose GPU device is lost midway is run once more on WASM instead of failing: the loss
// cannot be undone in this worker (onnxruntime-web makes its device once), WASM still works.
import { deviceLostWithin } from '../encoders/web/backend.ts';
import type { LoadedModel } from './protocol.ts';

/**
 * Runs `run` with the model `load` gives. When that model is on WebGPU and the run fails because
 * the device was lost, loads again (ensureModel then gives a WASM model) and runs once more,
 * passing the lost model so the work read back before the loss can be kept. Any other failure,
 * a cancel, or a failure of the second run reaches the caller as it is.
 */
export async function retryOnDeviceLoss<M extends { reply: LoadedModel }, T>(
  load: () => Promise<M>,
  run: (model: M, lost: M | null) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  const model = await load();
  try {
    return await run(model, null);
  } catch (err) {
    if (model.reply.backendInfo.backend !== 'webgpu' || signal.aborted || (await deviceLostWithin()) === null)
      throw err;
    console.warn(
      `MuScope: the GPU device was lost mid-run (${err instanceof Error ? err.message : String(err)}); running again on WASM.`,
    );
    return await run(await load(), model);
  }
}
