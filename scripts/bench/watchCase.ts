// `muscope watch` as a line camera drives it, on the MVTec bottle test set: 5 of the 20 good
// images are the known-good references, the other 78 test images land in the watched folder one
// at a time in a seeded random order (each written elsewhere and renamed in, as a camera that
// writes whole files does), and the next lands only once the previous one's JSON line is out.
// Reported: image AUROC/AP of the printed scores and the verdicts against the labels. The same
// run in a second order shows whether anything printed depends on images that came later: with
// references each score is the image against the references alone, so every file's score and
// verdict must come out the same in both orders.

import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WatchLine } from '../../src/cli/watch.ts';
import { imageMetrics } from '../../src/engine/metrics/ranking.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { defaultModelId } from '../../src/platform/node/models.ts';
import { DEFAULT_BOTTLE_DIR, readCategory } from './bottleCase.ts';
import type { BenchRecord } from './cases.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
const REFERENCES = 5;
const REFERENCE_SEED = 42;
/** the landing order of each run; the second only checks that the first's output did not depend on it */
const ORDER_SEEDS = [42, 43] as const;
/** short, so the case takes minutes; the files land whole (renamed in), so nothing is read half-written */
const SETTLE_MS = 200;
/** The done-when: image AUROC of the printed scores at least this. */
const GOAL_AUROC = 0.98;
/** A stuck child fails the case instead of holding the bench: opening the model and encoding the references… */
const START_LIMIT_MS = 300_000;
/** …then one image, from landing to its line. */
const IMAGE_LIMIT_MS = 120_000;

interface Part {
  /** the file name it lands under: its test folder and its name, e.g. broken_large_003.png */
  name: string;
  path: string;
  anomalous: boolean;
}

interface RunResult {
  /** by file name */
  lines: Map<string, WatchLine>;
  seconds: number;
}

/** Fisher–Yates with a seeded generator, as src/cli/subsets.ts shuffles. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`watch: no ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A running `muscope watch`: its stdout lines one at a time, its stderr kept for errors. */
class WatchChild {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;
  private stderrText = '';
  /** resolves with the exit code (null when a signal ended it) */
  readonly exited: Promise<number | null>;
  /** resolves once the 'watching …' note is out: the references are in and the folder is watched */
  readonly ready: Promise<void>;

  constructor(args: readonly string[], cwd: string) {
    this.child = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/main.ts'), 'watch', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { stdout, stderr } = this.child;
    if (!stdout || !stderr) throw new Error('watch: no pipes to the child');
    this.lines = createInterface({ input: stdout })[Symbol.asyncIterator]();
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code) => resolve(code));
    });
    this.ready = new Promise((resolve, reject) => {
      stderr.setEncoding('utf8');
      stderr.on('data', (chunk: string) => {
        this.stderrText += chunk;
        if (/^watching /m.test(this.stderrText)) resolve();
      });
      void this.exited.then(
        (code) => reject(new Error(`watch exited (${code}) before watching:\n${this.stderrText}`)),
        reject,
      );
    });
  }

  get stderr(): string {
    return this.stderrText;
  }

  async next(): Promise<WatchLine> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`watch ended its output early (exit ${await this.exited}):\n${this.stderrText}`);
    return JSON.parse(value) as WatchLine;
  }

  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  stop(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exited;
  }

  /** Ends a child left running by a failed run. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** One watch process from start to Ctrl-C, the parts landing in the order `seed` gives. */
async function watchRun(root: string, references: string, parts: readonly Part[], seed: number): Promise<RunResult> {
  const runDir = join(root, `order-${seed}`);
  const [inDir, outDir, staging] = ['in', 'out', 'staging'].map((d) => join(runDir, d));
  mkdirSync(inDir, { recursive: true });
  mkdirSync(staging);
  const started = performance.now();
  const child = new WatchChild(
    [inDir, '--reference', references, '--out', outDir, '--settle-ms', String(SETTLE_MS)],
    root,
  );
  try {
    await within(child.ready, START_LIMIT_MS, "'watching' note");
    const lines = new Map<string, WatchLine>();
    for (const part of shuffled(parts, seed)) {
      // Written outside the folder and renamed in, so the watcher sees one whole file appear.
      const partial = join(staging, part.name);
      copyFileSync(part.path, partial);
      renameSync(partial, join(inDir, part.name));
      const line = await within(child.next(), IMAGE_LIMIT_MS, `line for ${part.name}`);
      if (basename(line.file) !== part.name)
        throw new Error(`watch: a line for ${line.file} while ${part.name} was expected`);
      lines.set(part.name, line);
      if (lines.size % 10 === 0) process.stderr.write(`[watch order ${seed}] ${lines.size}/${parts.length} images\n`);
    }
    const code = await within(child.stop(), IMAGE_LIMIT_MS, 'exit after Ctrl-C');
    if (code !== 0) throw new Error(`watch exited with ${code} after Ctrl-C:\n${child.stderr}`);
    return { lines, seconds: (performance.now() - started) / 1000 };
  } finally {
    child.kill();
  }
}

const skipped = (reason: string): BenchRecord => ({ case: 'watch', skipped: reason });

export async function runWatchCase(emit: (r: BenchRecord) => void, dataset = DEFAULT_BOTTLE_DIR): Promise<void> {
  const category = readCategory(dataset);
  if ('skipped' in category) return emit(skipped(category.skipped));
  // watch runs without --model, so it opens the installed default, as a user's does.
  const model = defaultModelId();
  if (model === null) {
    emit(skipped('no model installed (run `npm install`)'));
    return;
  }
  const all = category.images.map((i): Part => ({
    name: `${i.defect}_${basename(i.path)}`,
    path: i.path,
    anomalous: i.anomalous,
  }));
  const chosen = new Set(
    shuffled(
      all.filter((p) => !p.anomalous),
      REFERENCE_SEED,
    ).slice(0, REFERENCES),
  );
  const parts = all.filter((p) => !chosen.has(p));

  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'muscope-watch-bench-'));
  try {
    const references = join(root, 'references');
    mkdirSync(references);
    for (const r of chosen) copyFileSync(r.path, join(references, r.name));
    const runs: RunResult[] = [];
    for (const seed of ORDER_SEEDS) runs.push(await watchRun(root, references, parts, seed));
    const [a, b] = runs;
    const lineOf = (run: RunResult, p: Part): WatchLine => {
      const line = run.lines.get(p.name);
      if (!line) throw new Error(`watch: no line for ${p.name}`);
      return line;
    };

    // The metrics and verdicts are the first run's; the second only compares with it.
    const lines = parts.map((p) => lineOf(a, p));
    const labels = parts.map((p) => (p.anomalous ? 1 : 0));
    const metrics = imageMetrics(
      labels,
      lines.map((l) => l.score),
    );
    const flagged = lines.map((l) => l.verdict === 'anomalous');
    let maxDiff = 0;
    let verdictsDiffering = 0;
    for (const p of parts) {
      const [x, y] = [lineOf(a, p), lineOf(b, p)];
      maxDiff = Math.max(maxDiff, Math.abs(x.score - y.score));
      if (x.verdict !== y.verdict) verdictsDiffering += 1;
    }
    const thresholds = new Set(runs.flatMap((r) => [...r.lines.values()].map((l) => l.threshold)));
    emit({
      case: 'watch',
      backend: 'node-ort',
      model,
      references: chosen.size,
      images: parts.length,
      order_seeds: ORDER_SEEDS.join(','),
      scale: lines[0].scale,
      threshold: lines[0].threshold ?? 'none',
      // one threshold in both runs: it comes from the references alone
      thresholds_seen: thresholds.size,
      image_auroc: metrics.auroc === null ? 'undefined' : +metrics.auroc.toFixed(4),
      image_ap: metrics.ap === null ? 'undefined' : +metrics.ap.toFixed(4),
      verdicts_anomalous: flagged.filter(Boolean).length,
      verdicts_missing: lines.filter((l) => l.verdict === null).length,
      false_positives: flagged.filter((f, i) => f && labels[i] === 0).length,
      false_negatives: flagged.filter((f, i) => !f && labels[i] === 1).length,
      max_score_diff_between_orders: maxDiff,
      verdicts_differing_between_orders: verdictsDiffering,
      done_when_met: (metrics.auroc ?? 0) >= GOAL_AUROC && maxDiff === 0 && verdictsDiffering === 0,
      median_ms: median(lines.map((l) => l.ms)),
      first_run_s: +a.seconds.toFixed(1),
      second_run_s: +b.seconds.toFixed(1),
      total_s: +((performance.now() - started) / 1000).toFixed(1),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
