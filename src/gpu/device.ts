// A device for the GPU stages when none is handed over (tests, benches): the adapter's own buffer
// limits instead of WebGPU's defaults (128 MiB bindings), and shader-f16 when offered; and the
// name an adapter is given in messages and manifests.

/** The adapter's description, else its vendor and architecture. */
export function adapterName(info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'>): string {
  return info.description || `${info.vendor} ${info.architecture}`.trim() || 'unnamed adapter';
}

export async function requestMuscDevice(
  gpu: GPU,
  adapterOptions?: GPURequestAdapterOptions,
): Promise<{ adapter: GPUAdapter; device: GPUDevice }> {
  const adapter = await gpu.requestAdapter(adapterOptions);
  if (!adapter) throw new Error('This browser offers no WebGPU adapter; run on the CPU (WASM) instead.');
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: { maxStorageBufferBindingSize, maxBufferSize },
    requiredFeatures: adapter.features.has('shader-f16') ? ['shader-f16'] : [],
  });
  return { adapter, device };
}
