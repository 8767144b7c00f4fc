// Small WebGPU buffer helpers shared by the LNAMD and MSM hosts.

/** Buffer sizes must be multiples of 4 and non-zero. */
const padded = (bytes: number): number => Math.max(4, Math.ceil(bytes / 4) * 4);

export function storageBuffer(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({
    label,
    size: padded(bytes),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
  });
}

export function bufferWith(
  device: GPUDevice,
  data: Uint32Array | Float32Array,
  usage: GPUBufferUsageFlags,
  label: string,
): GPUBuffer {
  const buffer = device.createBuffer({ label, size: padded(data.byteLength), usage, mappedAtCreation: true });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

export const uniformBuffer = (device: GPUDevice, words: number[], label: string): GPUBuffer =>
  bufferWith(device, new Uint32Array(words), GPUBufferUsage.UNIFORM, label);

/** Bind group 0 of `pipeline` with `buffers` at bindings 0, 1, 2, … */
export function bindGroup(device: GPUDevice, pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** Copies `bytes` of `source` from `offset` back to the CPU. */
export async function readBack(
  device: GPUDevice,
  source: GPUBuffer,
  offset: number,
  bytes: number,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    label: 'readback',
    size: padded(bytes),
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, offset, staging, 0, padded(bytes));
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0, bytes);
  } finally {
    staging.destroy();
  }
}

/** Destroys every buffer it was handed, once the owner is done. */
export class BufferPool {
  private readonly buffers: GPUBuffer[] = [];
  track<T extends GPUBuffer>(buffer: T): T {
    this.buffers.push(buffer);
    return buffer;
  }
  destroy(): void {
    for (const b of this.buffers.splice(0)) b.destroy();
  }
}
