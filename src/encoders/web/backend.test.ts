import { beforeEach, describe, expect, it, vi } from 'vitest';

// The loss is worker-wide state: each test gets a fresh module.
let backend: typeof import('./backend.ts');
beforeEach(async () => {
  vi.resetModules();
  backend = await import('./backend.ts');
});

/** A device whose `lost` promise the test settles. */
function fakeDevice() {
  let lose: (info: Pick<GPUDeviceLostInfo, 'reason' | 'message'>) => void = () => undefined;
  const lost = new Promise<GPUDeviceLostInfo>((resolve) => (lose = (info) => resolve(info as GPUDeviceLostInfo)));
  return { device: { lost }, lose };
}

describe('GPU device loss', () => {
  it('makes chooseBackend pick WASM with the reason in plain words, unless WASM was chosen anyway', async () => {
    const reason = backend.noteDeviceLost({ reason: 'unknown', message: 'Device was lost: driver reset.' });
    expect(reason).toBe(
      'The GPU device was lost (Device was lost: driver reset); running on the CPU through WASM. Reload the page to try the GPU again.',
    );
    for (const preference of ['auto', 'webgpu'] as const) {
      expect(await backend.chooseBackend(preference)).toMatchObject({
        backend: 'wasm',
        fallbackReason: reason,
        adapter: null,
      });
    }
    expect((await backend.chooseBackend('wasm')).fallbackReason).toBe('WASM was chosen in the settings.');
  });

  it('keeps the first loss and names the cause when the browser gives no message', () => {
    expect(backend.noteDeviceLost({ reason: 'destroyed', message: '' })).toContain('(destroyed)');
    expect(backend.noteDeviceLost({ reason: 'unknown', message: 'later' })).toContain('(destroyed)');
    expect(backend.deviceLostReason()).toContain('(destroyed)');
  });

  it('is noted when a watched device is lost', async () => {
    const { device, lose } = fakeDevice();
    backend.watchDevice(device);
    expect(backend.watchingDevice()).toBe(true);
    expect(backend.deviceLostReason()).toBeNull();
    lose({ reason: 'unknown', message: 'gone' });
    expect(await backend.deviceLostWithin(1000)).toContain('(gone)');
  });

  it('is waited for briefly: a failed GPU call can reject before the device reports its loss', async () => {
    expect(await backend.deviceLostWithin(1000)).toBeNull(); // nothing watched: no wait
    const { device, lose } = fakeDevice();
    backend.watchDevice(device);
    expect(await backend.deviceLostWithin(20)).toBeNull(); // not lost: gives up after the grace time
    setTimeout(() => lose({ reason: 'unknown', message: 'late' }), 20);
    expect(await backend.deviceLostWithin(5000)).toContain('(late)');
  });
});
