import { describe, expect, it } from 'vitest';
import { requestNodeGpu } from '../../src/platform/node/webgpu.ts';
import type { BenchRecord } from './cases.ts';
import { runWebgpuNodeMsm, webgpuNodeLabel } from './nodeWebgpu.ts';

const info = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false };

describe('webgpu-node bench backend', () => {
  it('labels a software adapter so its figure never passes for a GPU speed', () => {
    expect(
      webgpuNodeLabel({ ...info, vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7' }),
    ).toBe('webgpu-node-lavapipe');
    expect(
      webgpuNodeLabel({ ...info, vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090' }),
    ).toBe('webgpu-node');
  });

  it('emits one record: measured with the adapter named, or skipped with the reason', async () => {
    const gpu = await requestNodeGpu();
    if ('device' in gpu) gpu.device.destroy();
    const records: BenchRecord[] = [];
    await runWebgpuNodeMsm({ images: 3, grid: 2, dim: 8, emit: (r) => records.push(r) });
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({ case: 'msm', images: 3, grid: 2, dim: 8 });
    if ('unavailable' in gpu) {
      expect(record).toEqual({
        case: 'msm',
        backend: 'webgpu-node',
        images: 3,
        grid: 2,
        dim: 8,
        skipped: gpu.unavailable,
      });
      return;
    }
    expect(record.backend).toBe(webgpuNodeLabel(gpu.adapter.info));
    expect(record.adapter).toContain(gpu.adapter.info.description);
    expect(record.ms).toBeGreaterThanOrEqual(0);
    expect(typeof record.gpu_buffer_mb).toBe('number');
  });
});
