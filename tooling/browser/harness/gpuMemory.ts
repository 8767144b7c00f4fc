// Peak bytes of GPU buffers alive at once on a device, for the bench's memory column: counts
// every createBuffer (features, tables, uniforms, staging) until its destroy, without touching
// src/gpu. Bench-only instrumentation of one device instance.

export interface BufferMeter {
  /** the peak since the last reset, in bytes */
  peak(): number;
  reset(): void;
}

const meters = new WeakMap<GPUDevice, BufferMeter>();

export function meterBuffers(device: GPUDevice): BufferMeter {
  const existing = meters.get(device);
  if (existing) return existing;
  let live = 0;
  let peak = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(descriptor);
    live += descriptor.size;
    peak = Math.max(peak, live);
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) live -= descriptor.size;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
  const meter: BufferMeter = { peak: () => peak, reset: () => (peak = live) };
  meters.set(device, meter);
  return meter;
}
