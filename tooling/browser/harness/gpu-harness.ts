// Browser side of the GPU tests and the browser bench, bundled by build.ts and served on the app's
// origin by serve.ts. It runs the engine's CPU stages and src/gpu side by side on the same inputs,
// and scoring sessions on the feature slots of the page's WASM kernel pool (src/worker/msmPool.ts),
// and returns only deviations and timings.

import { scorerWindow } from '../../../src/engine/config.ts';
import { MuscError } from '../../../src/engine/errors.ts';
import { goldenLayers, worstDeviation } from '../../../src/engine/golden/checkGolden.ts';
import { parseGoldenCase, type PipelineGoldenCase } from '../../../src/engine/golden/goldenCase.ts';
import { feedInPieces, sessionDeviations } from '../../../src/engine/golden/goldenSession.ts';
import { tsKernel } from '../../../src/engine/kernels/tsKernel.ts';
import { lnamd } from '../../../src/engine/lnamd.ts';
import { laterRows, mutualScores, mutualScoresByRows, type PairsAgainst } from '../../../src/engine/msm.ts';
import type { RunOptions } from '../../../src/engine/types.ts';
import { createWebGpuMusc, requestMuscDevice } from '../../../src/gpu/index.ts';
import { createMsmPool, type MsmPool } from '../../../src/worker/msmPool.ts';
import { meterBuffers } from './gpuMemory.ts';
import { measureMsm } from './msmBench.ts';
import { sessionOnPool } from './sessionPool.ts';
import type {
  AdapterReport,
  BenchRequest,
  BenchResult,
  CancelReport,
  GoldenReport,
  GoldenRequest,
  MuscopeHarness,
  SessionPoolReport,
  SessionPoolRequest,
  SetDeviation,
  PoolGoldenReport,
} from './protocol.ts';

let gpuDevice: Promise<{ adapter: GPUAdapter; device: GPUDevice }> | undefined;
const gpu = () => (gpuDevice ??= requestMuscDevice(navigator.gpu));

async function adapter(): Promise<AdapterReport> {
  const { adapter: a, device } = await gpu();
  return {
    vendor: a.info.vendor,
    architecture: a.info.architecture,
    description: a.info.description,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
    shaderF16: device.features.has('shader-f16'),
  };
}

function pipelineCase(json: string): PipelineGoldenCase {
  const golden = parseGoldenCase(JSON.parse(json));
  if (golden.kind !== 'pipeline') throw new Error(`${golden.name} is not a pipeline case`);
  return golden;
}

async function golden({ json, maxBindingBytes }: GoldenRequest): Promise<GoldenReport> {
  const c = pipelineCase(json);
  const { images, grid, dim, layers, rList, interval } = c.config;
  const patches = grid * grid;
  const window = scorerWindow(images, interval, false);
  const musc = createWebGpuMusc((await gpu()).device, { maxBindingBytes });
  const scoreFeatureSet: NonNullable<RunOptions['scoreFeatureSet']> = musc.scoreFeatureSet; // the engine's hook
  const sets: SetDeviation[] = [];
  let pairs = { done: 0, total: 0 };
  for (const [ri, r] of rList.entries()) {
    for (let l = 0; l < layers; l++) {
      const layer = goldenLayers(c)[l];
      const z = lnamd(layer, r);
      const cpu = await mutualScores(z, images, patches, dim, window, { kernel: tsKernel });
      const at = (ri * layers + l) * images * patches;
      const expected = c.expected.perRLayer.subarray(at, at + images * patches);
      const scored = await scoreFeatureSet(layer, r, window, { onPairs: (done, total) => (pairs = { done, total }) });
      sets.push({
        r,
        layer: l,
        lnamdVsCpu: worstDeviation(await musc.lnamd(layer, r), z),
        gpuVsGolden: worstDeviation(scored, expected),
        gpuVsCpu: worstDeviation(scored, cpu),
        gpuMsmVsCpu: worstDeviation(await musc.mutualScores(z, images, patches, dim, window), cpu),
      });
    }
  }
  return { name: c.name, images, sets, pairsDone: pairs.done, pairsTotal: pairs.total };
}

async function cancel({ json, maxBindingBytes }: GoldenRequest): Promise<CancelReport> {
  const c = pipelineCase(json);
  const musc = createWebGpuMusc((await gpu()).device, { maxBindingBytes });
  const controller = new AbortController();
  let progressCalls = 0;
  try {
    await musc.scoreFeatureSet(goldenLayers(c)[0], 1, scorerWindow(c.config.images, c.config.interval, false), {
      signal: controller.signal,
      onPairs: () => {
        progressCalls += 1;
        controller.abort();
      },
    });
    return { error: null, progressCalls };
  } catch (err) {
    const e =
      err instanceof MuscError
        ? { name: err.name, code: err.code, message: err.message }
        : { name: String(err), code: '', message: '' };
    return { error: e, progressCalls };
  }
}

async function brokenFeatures(): Promise<string> {
  const [images, grid, dim] = [5, 4, 8];
  const data = new Float32Array(images * (1 + grid * grid) * dim).map((_, k) => Math.sin(k));
  data[3 * (1 + grid * grid) * dim + dim + 5] = NaN; // image 4, first patch
  try {
    await createWebGpuMusc((await gpu()).device).lnamd({ data, images, grid, dim, skip: 1 }, 3);
    return 'accepted';
  } catch (err) {
    return err instanceof MuscError ? err.code : String(err);
  }
}

/**
 * The WASM MSM pool of the app's scoring worker (src/worker/msmPool.ts), driven from this page:
 * its kernel threads are workers either way, and Playwright's routing reaches a page's workers
 * but not workers nested in workers.
 */
async function withPool<T>(threads: number | undefined, use: (pool: MsmPool) => Promise<T>): Promise<T> {
  const pool = createMsmPool(threads);
  try {
    return await use(pool);
  } finally {
    pool.close();
  }
}

/** The golden case in a scoring session on the pool's feature slots, fed in pieces as the page feeds a batch. */
const goldenOnPoolSlots = ({ json }: GoldenRequest): Promise<PoolGoldenReport> =>
  withPool(undefined, async (pool) => {
    const c = pipelineCase(json);
    const session = await feedInPieces(c, pool.slots, c.config.images);
    try {
      return {
        deviations: await sessionDeviations(c, session),
        threads: pool.threads,
        pairsAnswered: pool.pairsAnswered(),
      };
    } finally {
      session.close();
    }
  });

const sessionPool = (request: SessionPoolRequest): Promise<SessionPoolReport> =>
  withPool(request.threads, (pool) => sessionOnPool(pool, request));

/**
 * MSM on the pool's layer slots, as a session computes it: every image put, then the triangle's
 * rows, `rowsAtOnce` in flight. One degree, 1: the unit features are the set (LNAMD at r = 1 of a
 * unit vector centres and renormalises it, the same work per pair).
 */
function benchWasm(request: BenchRequest): Promise<BenchResult> {
  const { grid, dim } = request;
  const patches = grid * grid;
  return withPool(request.threads, async (pool) => {
    const measurement = await measureMsm(async (z, images, window) => {
      const slots = pool.slots(grid, dim, [1]);
      try {
        const size = patches * dim;
        for (let n = 0; n < images; n++)
          slots.put(n, { data: z.subarray(n * size, (n + 1) * size), images: 1, grid, dim, skip: 0 });
        const pairs: PairsAgainst = async (i, js) => (await slots.pairs(i, js))[0];
        return await mutualScoresByRows(images, patches, window, laterRows(pairs, images), {
          concurrency: slots.rowsAtOnce,
        });
      } finally {
        slots.destroy?.();
      }
    }, request);
    return {
      ...measurement,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      threads: pool.threads,
      adapter: null,
    };
  });
}

async function benchMsm(request: BenchRequest): Promise<BenchResult> {
  if (request.backend === 'wasm') return benchWasm(request);
  const { grid, dim } = request;
  const { device } = await gpu();
  const meter = meterBuffers(device);
  meter.reset();
  const musc = createWebGpuMusc(device);
  const measurement = await measureMsm(
    (z, images, window) => musc.mutualScores(z, images, grid * grid, dim, window),
    request,
  );
  return {
    ...measurement,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    threads: 0,
    adapter: await adapter(),
    gpuPeakBufferBytes: meter.peak(),
  };
}

globalThis.muscopeHarness = {
  adapter,
  golden,
  goldenOnPoolSlots,
  sessionPool,
  cancel,
  brokenFeatures,
  benchMsm,
} satisfies MuscopeHarness;
