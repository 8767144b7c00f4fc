// `npm run bench -- [--case msm|musc-scale|encoder|bottle|app|incremental|watch|tradeoffs|growth|add-model] [--images N] [--grid G] [--dim D] [--backends a,b] [--browser-args '…']
//   [--browser chromium|firefox] [--candidates K] [--dataset DIR] [--datasets bottle,metal_plate,magnetic_tile] [--sizes 224,448] [--methods exact,aligned:0.1] [--json]`
// One JSON line per measurement on stdout, then (without --json) a readable table. Node backends run here (webgpu-node:
// src/gpu through Dawn on this machine's Vulkan adapter), browser backends (wasm, webgpu) in Debian's Chromium,
// pytorch-reference in python3. `bottle` times the `muscope eval` path end to end on the MVTec bottle set (--dataset,
// default ../shared/data/mvtec_ad/bottle from the repo root) for each installed real model. `app` times the built app
// in Chromium (or Firefox ESR on wasm, --browser firefox) from dropping that set's test images (the first --images N,
// sorted by path; default all) until the results show, per browser backend, with Settings → Candidate images at K if
// --candidates K. `incremental` times one more image added to a scoring session (src/engine/session)
// against that set (default model) scored from scratch, in a session and by the batch pipeline. `watch` runs `muscope
// watch` against 5 good references while the set's other test images land one at a time, twice in two orders: image
// AUROC of what it printed, and whether any score or verdict moved with the order. Neither runs by default (together
// about 3 minutes on 2 cores). `tradeoffs` measures accuracy and time of exact scoring and each shortcut (--methods) on
// the evaluation sets (--datasets) at each input size (--sizes); it takes hours with every default, so name what to run.
// `growth` times one MSM feature set (random, --dim) against N and the grid, exact and with each shortcut (--methods).
// Without --case it runs the default set below.

import { parseArgs } from 'node:util';
import { CASES, type BenchRecord } from './cases.ts';
import { BROWSER_BACKENDS, isBrowserBackend, runBrowserMsm } from './browserBackends.ts';
import { NODE_BACKENDS, type NodeBackend } from './nodeBackends.ts';
import { PYTORCH_BACKEND, runPytorchMsm } from './pytorchReference.ts';
import { runWebgpuNodeMsm, WEBGPU_NODE_BACKEND } from './nodeWebgpu.ts';
import { runEncoderCase } from './encoderCase.ts';
import { DEFAULT_BOTTLE_DIR, runBottleCase } from './bottleCase.ts';
import { APP_BROWSERS, runAppCase, type AppBrowser } from './appCase.ts';
import { runIncrementalCase } from './incrementalCase.ts';
import { runWatchCase } from './watchCase.ts';
import { EVALUATION_SETS, parseMethod, runTradeoffsCase, type TradeoffsPlan } from './tradeoffsCase.ts';
import { runGrowthCase } from './growthCase.ts';
import { runAddModelCase } from './addModelCase.ts';

interface PlannedRun {
  caseName: string;
  images: number;
  grid: number;
  dim: number;
  backends: string[];
}

const ALL_BACKENDS: string[] = [
  ...NODE_BACKENDS.map((b) => b.name),
  WEBGPU_NODE_BACKEND,
  ...BROWSER_BACKENDS,
  PYTORCH_BACKEND,
];

/** What `--case X` runs when the sizes or backends are not given. */
const CASE_DEFAULTS: Record<string, Omit<PlannedRun, 'caseName'>> = {
  msm: { images: 32, grid: 14, dim: 512, backends: ALL_BACKENDS },
  'musc-scale': { images: 83, grid: 14, dim: 1024, backends: ['node-ort'] },
  encoder: { images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  bottle: { images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  // images 0: every test image of --dataset
  app: { images: 0, grid: 0, dim: 0, backends: ['wasm'] },
  // every test image of --dataset, default model
  incremental: { images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  watch: { images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  // --datasets, --sizes, --methods
  tradeoffs: { images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  // N and grid series of growthCase.ts, --methods
  growth: { images: 0, grid: 0, dim: 1024, backends: ['node-ort'] },
  // a 400 MB synthetic export added through Settings in Chromium (WASM)
  'add-model': { images: 0, grid: 0, dim: 0, backends: ['wasm'] },
};

/** Without --case: a small MSM on every backend, then MVTec-bottle scale (N = 83, D = 1024) on
 * ORT only, one MSM and the whole pipeline; pure TS would need minutes there. Last the real bottle
 * set end to end, per real model in Node, then dropped on the app in Chromium (WASM, ~1 min). */
const DEFAULT_RUNS: PlannedRun[] = [
  { caseName: 'msm', ...CASE_DEFAULTS.msm },
  { caseName: 'encoder', images: 0, grid: 0, dim: 0, backends: ['node-ort'] },
  { caseName: 'msm', images: 40, grid: 14, dim: 768, backends: ['node-ort', 'wasm', 'webgpu'] },
  { caseName: 'msm', images: 83, grid: 14, dim: 1024, backends: ['node-ort', PYTORCH_BACKEND, 'wasm'] },
  { caseName: 'msm', images: 83, grid: 24, dim: 1024, backends: ['node-ort', 'wasm'] },
  { caseName: 'musc-scale', ...CASE_DEFAULTS['musc-scale'] },
  { caseName: 'bottle', ...CASE_DEFAULTS.bottle },
  { caseName: 'app', ...CASE_DEFAULTS.app },
];

interface Plan {
  runs: PlannedRun[];
  json: boolean;
  browserArgs: string[];
  browserName: AppBrowser;
  /** --case app: Settings → Candidate images; null leaves the default (exact) */
  candidates: number | null;
  dataset: string;
  tradeoffs: TradeoffsPlan;
}

const isAppBrowser = (name: string): name is AppBrowser => (APP_BROWSERS as readonly string[]).includes(name);

function plan(): Plan {
  const { values } = parseArgs({
    options: {
      case: { type: 'string' },
      images: { type: 'string' },
      grid: { type: 'string' },
      dim: { type: 'string' },
      backends: { type: 'string' },
      json: { type: 'boolean', default: false },
      'browser-args': { type: 'string', default: '' },
      browser: { type: 'string', default: 'chromium' },
      candidates: { type: 'string' },
      dataset: { type: 'string', default: DEFAULT_BOTTLE_DIR },
      datasets: { type: 'string', default: Object.keys(EVALUATION_SETS).join(',') },
      sizes: { type: 'string', default: '224,448' },
      methods: { type: 'string', default: 'exact,aligned:0.1' },
    },
  });
  const browserArgs = values['browser-args'].split(' ').filter(Boolean);
  const { dataset, browser: browserName } = values;
  const tradeoffs: TradeoffsPlan = {
    datasets: values.datasets.split(','),
    sizes: values.sizes.split(',').map(Number),
    methods: values.methods.split(',').map(parseMethod),
  };
  if (!isAppBrowser(browserName))
    throw new Error(`unknown --browser ${browserName}; known: ${APP_BROWSERS.join(', ')}`);
  if (browserName !== 'chromium' && values.case !== 'app') throw new Error('--browser applies to --case app only');
  if (values.candidates !== undefined && values.case !== 'app')
    throw new Error('--candidates applies to --case app only (--methods candidates:K for tradeoffs and growth)');
  const candidates = values.candidates === undefined ? null : Number.parseInt(values.candidates, 10);
  if (!values.case)
    return { runs: DEFAULT_RUNS, json: values.json, browserArgs, browserName, candidates, dataset, tradeoffs };
  const defaults = CASE_DEFAULTS[values.case];
  if (!defaults) throw new Error(`unknown --case ${values.case}; known: ${Object.keys(CASE_DEFAULTS).join(', ')}`);
  const count = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : Number.parseInt(text, 10);
  return {
    runs: [
      {
        caseName: values.case,
        images: count(values.images, defaults.images),
        grid: count(values.grid, defaults.grid),
        dim: count(values.dim, defaults.dim),
        backends: values.backends?.split(',') ?? defaults.backends,
      },
    ],
    json: values.json,
    browserArgs,
    browserName,
    candidates,
    dataset,
    tradeoffs,
  };
}

function backendsNamed(names: string[]): NodeBackend[] {
  return names.map((name) => {
    const backend = NODE_BACKENDS.find((b) => b.name === name);
    if (!backend) throw new Error(`unknown backend ${name}; known: ${ALL_BACKENDS.join(', ')}`);
    return backend;
  });
}

function printTable(records: BenchRecord[]): void {
  const columns = [
    'case',
    'backend',
    'model',
    'variant',
    'images',
    'grid',
    'dim',
    'ms',
    'ms_per_image',
    'gflops_effective',
    'peak_rss_mb',
    'gpu_buffer_mb',
    'dataset',
    'size',
    'method',
    'image_auroc',
    'pixel_auroc',
    'aupro',
    'seconds',
    'pairs',
    'features_mb',
    'file_mb',
    'peak_browser_pss_mb',
    'added_over_file',
    'skipped',
  ].filter((c) => records.some((r) => r[c] !== undefined));
  const rows = [columns, ...records.map((r) => columns.map((c) => String(r[c] ?? '')))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i])).join('  '));
}

const { runs, json, browserArgs, browserName, candidates, dataset, tradeoffs } = plan();
const records: BenchRecord[] = [];
const emit = (record: BenchRecord) => {
  records.push(record);
  console.log(JSON.stringify(record));
};
for (const run of runs) {
  if (run.caseName === 'encoder') {
    await runEncoderCase(emit);
    continue;
  }
  if (run.caseName === 'bottle') {
    await runBottleCase(emit, dataset);
    continue;
  }
  if (run.caseName === 'incremental') {
    await runIncrementalCase(emit, dataset);
    continue;
  }
  if (run.caseName === 'watch') {
    await runWatchCase(emit, dataset);
    continue;
  }
  if (run.caseName === 'tradeoffs') {
    await runTradeoffsCase(emit, tradeoffs);
    continue;
  }
  if (run.caseName === 'add-model') {
    await runAddModelCase(emit);
    continue;
  }
  if (run.caseName === 'growth') {
    for (const backend of backendsNamed(run.backends))
      await runGrowthCase({ dim: run.dim, backend, methods: tradeoffs.methods, emit });
    continue;
  }
  const { images, grid, dim } = run;
  const inBrowser = run.backends.filter(isBrowserBackend);
  if (run.caseName === 'app') {
    if (inBrowser.length !== run.backends.length)
      throw new Error(`--case app runs only the browser backends: ${BROWSER_BACKENDS.join(', ')}`);
    await runAppCase({ images, backends: inBrowser, browserArgs, browserName, candidates, dataset, emit });
    continue;
  }
  if (inBrowser.length > 0 && run.caseName !== 'msm')
    throw new Error(`browser backends run only --case msm, not ${run.caseName}`);
  const withPytorch = run.backends.includes(PYTORCH_BACKEND);
  const withWebgpuNode = run.backends.includes(WEBGPU_NODE_BACKEND);
  const onlyMsm = [PYTORCH_BACKEND, WEBGPU_NODE_BACKEND].find(
    (b) => run.backends.includes(b) && run.caseName !== 'msm',
  );
  if (onlyMsm) throw new Error(`${onlyMsm} runs only --case msm`);
  const inNode = run.backends.filter((b) => !isBrowserBackend(b) && b !== PYTORCH_BACKEND && b !== WEBGPU_NODE_BACKEND);
  if (inNode.length > 0) await CASES[run.caseName]({ images, grid, dim, backends: backendsNamed(inNode), emit });
  if (withWebgpuNode) await runWebgpuNodeMsm({ images, grid, dim, emit });
  if (withPytorch) runPytorchMsm({ images, grid, dim }, emit);
  if (inBrowser.length > 0) await runBrowserMsm({ images, grid, dim, backends: inBrowser, browserArgs, emit });
}
if (!json) printTable(records);
if (records.some((r) => r.rss_within_2gib === false)) process.exitCode = 1;
