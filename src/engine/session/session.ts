// An incremental MuSc session: images are added and removed one group at a time, and only the
// image pairs that involve a change are computed. LNAMD is per image (each image's features are
// centred and aggregated on their own), so an image's aggregated features never change; MSM is
// per ordered pair (the nearest-patch distance from each patch of image a to image b), so the
// session keeps, per layer, each image's features in layer slots (layerSlots.ts: each degree's
// unit features, or one set every degree is derived from) and, for each image, the distances to
// each image that scores it. A score is then the same interval mean over the same
// distances as a from-scratch run (pipeline.ts), in the same order of operations, unless
// screening (../screening/, docs/method.md §19) finds near-duplicates, which then score as one
// image, or an image that is not comparable, which then scores no one; the pipeline does not screen.
//
// Memory per image kept: R·L·P·D·4 bytes of features (the grid's patches P, each layer's
// width D) in slots per degree, L·P·D·4 where the degrees share one set, plus R·L·P·4 bytes per
// image that scores it. A window of the
// most recent W queries (every reference kept) bounds both for a long run: a removed image's
// slot is reused. With candidate images (candidates.ts) each image is scored by its K neighbours
// on a ring instead of every other image, so the distances kept grow with N·K, not N².

import { patchBands } from '../alignment.ts';
import { validateConfig, type RankInterval } from '../config.ts';
import { MuscError, throwIfAborted } from '../errors.ts';
import type { ScorerDistances } from '../evidence.ts';
import { oneImage } from '../layers.ts';
import type { LayerSlots, LayerSlotsFactory } from '../layerSlots.ts';
import { intervalMean } from '../msm.ts';
import type { MuscConfig, MuscInput, MuscProgress } from '../types.ts';
import { elementwiseMin, typicalDistance } from '../screening/profiles.ts';
import type { ScreeningNote } from '../screening/notes.ts';
import { screen, type Screening } from '../screening/screen.ts';
import { mapMaximum } from '../upsample.ts';
import {
  scorerGroups,
  scorerLists,
  scoringMode,
  windowFor,
  type ImageRole,
  type ScorerPolicy,
  type ScoringMode,
} from './scorers.ts';

export interface SessionConfig extends MuscConfig {
  scorers: ScorerPolicy;
  /** queries kept as scorers: the most recent `window` (the newest included); references always stay */
  window?: number;
}

export interface SessionImage {
  id: string;
  role: ImageRole;
  /** decoded to grey pixels only (engine screening/colour.ts); undefined when not known */
  grayscale?: boolean;
}

export interface SessionOptions {
  signal?: AbortSignal;
  /** 'msm' counts the unordered image pairs this change computes */
  onProgress?: (p: MuscProgress) => void;
}

export interface ScoredImage {
  id: string;
  role: ImageRole;
  /** [P] mean over degrees of the mean over layers of the interval means; null while it cannot be scored */
  patchScores: Float64Array | null;
  /** max of the upsampled map, in distance units; null while it cannot be scored */
  rawScore: number | null;
  /** how many images score it */
  scorers: number;
  /** rank interval of its scorers' distances that was averaged; null while it cannot be scored */
  window: RankInterval | null;
  /** [E] image embedding for RsCIN, when the model has one */
  embedding: Float32Array | null;
  /** its near-duplicates and comparability (docs/method.md §19) */
  screening: ScreeningNote;
}

export interface SessionState {
  mode: ScoringMode;
  grid: number;
  imageSize: number;
  /** images kept, in the order they were added */
  images: ScoredImage[];
  /** mutual scoring of fewer than 5 images was forced */
  forcedSmallBatch: boolean;
}

interface Entry {
  readonly handle: number;
  readonly id: string;
  role: ImageRole;
  /** its features' slot in every feature set's store */
  readonly slot: number;
  readonly embedding: Float32Array | null;
  readonly grayscale: boolean | undefined;
  /** distances to this image's scorers, by scorer handle: [sets·P] */
  readonly nearest: Map<number, Float32Array>;
  /** typicalDistance of each row of `nearest`, by scorer handle, computed when first screened */
  readonly typical: Map<number, number>;
  /** the mode and scorer groups (handles, each group one scorer) its cached score was computed with */
  scoredBy: { mode: ScoringMode; scorers: number[][] } | null;
  score: { patchScores: Float64Array; rawScore: number; window: RankInterval; forced: boolean } | null;
}

interface Shape {
  grid: number;
  dims: number[];
  embedDim: number;
}

const sameList = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

const sameGroups = (a: readonly number[][], b: readonly number[][]): boolean =>
  a.length === b.length && a.every((group, i) => sameList(group, b[i]));

function invalidInput(message: string): MuscError {
  return new MuscError('invalid-input', message);
}

export class ScoringSession {
  private entries: Entry[] = [];
  /** membership or pairs changed since the scores were last brought up to date */
  private stale = false;
  private nextHandle = 0;
  private shape: Shape | null = null;
  private readonly sets: number;
  /** the members' near-duplicates and comparability, in member order, as of the last rescore */
  private screening: Screening = { images: [], typicalPair: null, typicalUsual: null };
  /** per layer, every degree's features; made when the first images fix the shapes */
  private stores: LayerSlots[] = [];

  /** `slots` holds each layer's features and computes its pairs: a matmul kernel, WebAssembly, a pool of workers. */
  constructor(
    private readonly config: SessionConfig,
    private readonly layers: number,
    private readonly slots: LayerSlotsFactory,
  ) {
    validateConfig(config);
    if (config.window !== undefined && (!Number.isInteger(config.window) || config.window < 1)) {
      throw new MuscError(
        'invalid-config',
        `The window of recent images kept as scorers must be a whole number ≥ 1; got ${config.window}.`,
      );
    }
    this.sets = config.rList.length * layers;
  }

  get size(): number {
    return this.entries.length;
  }

  has(id: string): boolean {
    return this.entries.some((e) => e.id === id);
  }

  /**
   * Adds images (input holds their features, in the same order) and scores what changed. Returns
   * the ids of queries that left the window. On cancel or error the session is unchanged.
   */
  async add(images: readonly SessionImage[], input: MuscInput, opts: SessionOptions = {}): Promise<string[]> {
    this.checkInput(images, input);
    const free = this.freeSlots(images.length);
    const added = images.map((image, n) => this.newEntry(image, input, n, free[n]));
    const kept = this.applyWindow([...this.entries, ...added]);
    await this.computePairs(kept, opts, added);
    const evicted = [...this.entries, ...added].filter((e) => !kept.includes(e)).map((e) => e.id);
    this.commit(kept);
    return evicted;
  }

  /**
   * Removes images by id. Exact scoring computes no pair; with candidate images the images next
   * to a removed one on the ring meet a new neighbour, whose pairs are computed. On cancel or error
   * the session is unchanged.
   */
  async remove(ids: readonly string[], opts: SessionOptions = {}): Promise<void> {
    const gone = new Set(ids);
    const kept = this.entries.filter((e) => !gone.has(e.id));
    await this.computePairs(kept, opts, []);
    this.commit(kept);
  }

  /** Marks images as references or queries, computing the pairs the new roles need. */
  async setRoles(roles: ReadonlyMap<string, ImageRole>, opts: SessionOptions = {}): Promise<void> {
    const previous = this.entries.map((e) => e.role);
    for (const e of this.entries) e.role = roles.get(e.id) ?? e.role;
    try {
      await this.computePairs(this.entries, opts, []);
    } catch (err) {
      this.entries.forEach((e, i) => (e.role = previous[i]));
      throw err;
    }
    this.commit(this.entries);
  }

  /** Frees what the feature slots hold outside the JavaScript heap (GPU buffers); the session is unusable after. */
  close(): void {
    for (const store of this.stores) store.destroy?.();
    this.stores = [];
    this.entries = [];
  }

  state(): SessionState {
    this.rescore();
    const mode = scoringMode(this.config.scorers, this.entries);
    const screened = this.screening.images;
    return {
      mode,
      grid: this.grid,
      imageSize: this.config.imageSize,
      images: this.entries.map((e, i) => {
        const group = this.entries.filter((_, j) => screened[j].group === screened[i].group);
        return {
          id: e.id,
          role: e.role,
          patchScores: e.score?.patchScores ?? null,
          rawScore: e.score?.rawScore ?? null,
          scorers: e.scoredBy?.scorers.length ?? 0,
          window: e.score?.window ?? null,
          embedding: e.embedding,
          screening: {
            duplicateOf: group.find((m) => m !== e)?.id ?? null,
            group: group[0].id,
            farness: screened[i].farness,
            notComparable: screened[i].notComparable,
          },
        };
      }),
      forcedSmallBatch: this.entries.some((e) => e.score?.forced),
    };
  }

  private checkInput(images: readonly SessionImage[], input: MuscInput): void {
    if (input.layers.length !== this.layers)
      throw invalidInput(`Expected ${this.layers} feature layers per image; got ${input.layers.length}.`);
    const ids = new Set(this.entries.map((e) => e.id));
    for (const { id } of images) {
      if (ids.has(id))
        throw invalidInput(`"${id}" is already in the session. Remove it first, or give the new image another name.`);
      ids.add(id);
    }
    const grid = input.layers[0].grid;
    input.layers.forEach((layer, l) => {
      if (layer.images !== images.length)
        throw invalidInput(`Layer ${l + 1} holds ${layer.images} images for ${images.length} added.`);
      if (layer.data.length !== layer.images * (layer.skip + layer.grid * layer.grid) * layer.dim) {
        throw invalidInput(
          `Layer ${l + 1} holds ${layer.data.length} values, expected ${layer.images}·${layer.skip + layer.grid * layer.grid}·${layer.dim}.`,
        );
      }
    });
    const shape: Shape = {
      grid,
      dims: input.layers.map((l) => l.dim),
      embedDim: input.embeddings ? input.embedDim : 0,
    };
    if (input.layers.some((l) => l.grid !== grid))
      throw invalidInput('Every layer must be on one grid. Resample the layers to one grid first.');
    if (input.embeddings && input.embeddings.length !== images.length * input.embedDim) {
      throw invalidInput(
        `The image embeddings hold ${input.embeddings.length} values, expected ${images.length}·${input.embedDim}.`,
      );
    }
    if (this.shape === null || this.entries.length === 0) {
      this.shape = shape;
      const bands = patchBands(grid, this.config.alignedTolerance ?? null);
      this.stores = shape.dims.map((dim) => this.slots(grid, dim, this.config.rList, bands));
      return;
    }
    const was = this.shape;
    if (shape.grid !== was.grid || !sameList(shape.dims, was.dims) || shape.embedDim !== was.embedDim) {
      throw invalidInput(
        `These images were encoded differently (grid ${shape.grid}, widths ${shape.dims.join('/')}) from the session's (grid ${was.grid}, widths ${was.dims.join('/')}). ` +
          'Encode every image with the same model and input size.',
      );
    }
  }

  /** The `count` lowest slots no kept image holds. */
  private freeSlots(count: number): number[] {
    const taken = new Set(this.entries.map((e) => e.slot));
    const free: number[] = [];
    for (let slot = 0; free.length < count; slot++) if (!taken.has(slot)) free.push(slot);
    return free;
  }

  /** Image n's features (LNAMD is per image, so they never change) into its slot of every layer. */
  private newEntry(image: SessionImage, input: MuscInput, n: number, slot: number): Entry {
    input.layers.forEach((layer, l) => this.stores[l].put(slot, oneImage(layer, n)));
    const { embeddings, embedDim } = input;
    return {
      handle: this.nextHandle++,
      id: image.id,
      role: image.role,
      slot,
      embedding: embeddings ? embeddings.slice(n * embedDim, (n + 1) * embedDim) : null,
      grayscale: image.grayscale,
      nearest: new Map(),
      typical: new Map(),
      scoredBy: null,
      score: null,
    };
  }

  /** The members kept after the window: every reference and the `window` most recent queries. */
  private applyWindow(members: Entry[]): Entry[] {
    const { window } = this.config;
    if (window === undefined) return members;
    let queries = members.filter((e) => e.role === 'query').length;
    return members.filter((e) => e.role === 'reference' || queries-- <= window);
  }

  /**
   * Computes every missing distance the members' scorers need. Rows are owned by the newest
   * image of each pair, so adding one image is one row against every image it pairs with.
   */
  private async computePairs(members: readonly Entry[], opts: SessionOptions, added: readonly Entry[]): Promise<void> {
    const scorers = this.scorers(members);
    const needs = new Map(members.map((m) => [m.handle, new Set(scorers(m).map((s) => s.handle))]));
    const needed = (a: Entry, b: Entry): boolean =>
      (needs.get(a.handle)?.has(b.handle) ?? false) && !a.nearest.has(b.handle);
    const rows: Array<{ owner: Entry; partners: Entry[] }> = [];
    for (let i = members.length - 1; i >= 0; i--) {
      const owner = members[i];
      const partners = members.slice(0, i).filter((b) => needed(owner, b) || needed(b, owner));
      if (partners.length > 0) rows.push({ owner, partners });
    }
    const total = rows.reduce((sum, row) => sum + row.partners.length, 0);
    let done = 0;
    let next = 0;
    // Rows share no pair, so `rowsAtOnce` of them may be in flight; each lane stops at the first failure.
    let failed = false;
    const lane = async (): Promise<void> => {
      while (next < rows.length && !failed) {
        const { owner, partners } = rows[next++];
        throwIfAborted(opts.signal);
        await this.computeRow(owner, partners, needed, opts.signal);
        done += partners.length;
        opts.onProgress?.({ stage: 'msm', done, total });
      }
    };
    opts.onProgress?.({ stage: 'msm', done, total });
    const lanes = Math.min(rows.length, Math.max(1, ...this.stores.map((s) => s.rowsAtOnce ?? 1)));
    const settled = await Promise.allSettled(
      Array.from({ length: lanes }, () => lane().catch((err: unknown) => ((failed = true), Promise.reject(err)))),
    );
    const failure = settled.find((r) => r.status === 'rejected');
    if (failure) {
      // Every lane has stopped: no row can write these back.
      const fresh = new Set(added.map((e) => e.handle));
      for (const e of this.entries) for (const h of fresh) e.nearest.delete(h);
      throw failure.reason;
    }
  }

  private async computeRow(
    owner: Entry,
    partners: readonly Entry[],
    needed: (a: Entry, b: Entry) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const P = this.patches;
    const ordered = [...partners].sort((a, b) => a.slot - b.slot);
    const slots = ordered.map((b) => b.slot);
    const n = ordered.length;
    const forward = ordered.map((b) => (needed(owner, b) ? new Float32Array(this.sets * P) : null));
    const backward = ordered.map((b) => (needed(b, owner) ? new Float32Array(this.sets * P) : null));
    throwIfAborted(signal);
    // Every layer's pairs asked at once: a pool of workers then never waits between them.
    const byLayer = await Promise.all(this.stores.map((store) => store.pairs(owner.slot, slots)));
    // feature set s = degree index · L + layer
    const rows = this.config.rList.flatMap((_, d) => byLayer.map((degrees) => degrees[d]));
    for (const [s, row] of rows.entries()) {
      for (let t = 0; t < n; t++) {
        const f = forward[t];
        if (f) for (let p = 0; p < P; p++) f[s * P + p] = row.forward[p * n + t];
        backward[t]?.set(row.backward.subarray(t * P, (t + 1) * P), s * P);
      }
    }
    ordered.forEach((b, t) => {
      const f = forward[t];
      const bw = backward[t];
      if (f) owner.nearest.set(b.handle, f);
      if (bw) b.nearest.set(owner.handle, bw);
    });
  }

  /** Who scores each of `members`: every other, the references, or its candidate-ring neighbours (scorers.ts). */
  private scorers(members: readonly Entry[]): (member: Entry) => Entry[] {
    return scorerLists(members, scoringMode(this.config.scorers, members), this.config.candidates ?? null);
  }

  /** Keeps `members` and drops what the others held; scores follow when next read (rescore). */
  private commit(members: Entry[]): void {
    const kept = new Set(members.map((m) => m.handle));
    for (const e of members) {
      for (const h of e.nearest.keys()) if (!kept.has(h)) e.nearest.delete(h);
      for (const h of e.typical.keys()) if (!kept.has(h)) e.typical.delete(h);
    }
    this.entries = members;
    this.stale = true;
  }

  /**
   * Rescores every image whose scorers changed since it was last scored. Run when scores are read,
   * not on every change: images added one by one while a batch encodes would otherwise rescore
   * the whole batch per image.
   */
  private rescore(): void {
    if (!this.stale) return;
    this.stale = false;
    const members = this.entries;
    const mode = scoringMode(this.config.scorers, members);
    this.screening = this.screen(members, mode);
    const screened = new Map(members.map((m, i) => [m.handle, this.screening.images[i]]));
    const scorersOf = this.scorers(members);
    const { imageSize } = this.config;
    const scratch = new Float64Array(imageSize * imageSize);
    for (const e of members) {
      const scorers = scorerGroups(e, scorersOf(e), (m) => screened.get(m.handle) ?? null).map((group) =>
        group.map((s) => s.handle),
      );
      const window = windowFor(scorers.length, mode, this.config.interval, this.config.forceSmallBatch);
      if (
        e.scoredBy?.mode === mode &&
        sameGroups(e.scoredBy.scorers, scorers) &&
        (e.score !== null) === (window !== null)
      )
        continue;
      e.scoredBy = { mode, scorers };
      if (!window) {
        e.score = null;
        continue;
      }
      const patchScores = this.patchScores(e, scorers, window);
      e.score = {
        patchScores,
        rawScore: mapMaximum(patchScores, 0, this.grid, imageSize, scratch),
        window,
        forced: window.forced,
      };
    }
  }

  /**
   * Near-duplicates and comparability from the distances kept (docs/method.md §19); no pair is
   * computed. Against references only the references are screened, among themselves, so that a
   * query's verdict still depends on nothing but the image and the references; each query is
   * then its own group, comparable.
   */
  private screen(members: readonly Entry[], mode: ScoringMode): Screening {
    const screened = mode === 'references' ? members.filter((m) => m.role === 'reference') : members;
    const found = screen({
      count: screened.length,
      sets: this.sets,
      distances: (i, j) => screened[i].nearest.get(screened[j].handle),
      grayscale: (i) => screened[i].grayscale,
      typical: (i, j) => {
        const [e, scorer] = [screened[i], screened[j].handle];
        const row = e.nearest.get(scorer);
        if (!row) return undefined;
        const known = e.typical.get(scorer) ?? typicalDistance(row, this.sets);
        e.typical.set(scorer, known);
        return known;
      },
    });
    const position = new Map(screened.map((m, k) => [m.handle, k]));
    return {
      ...found,
      images: members.map((m, i) => {
        const k = position.get(m.handle);
        if (k === undefined) return { group: i, farness: null, notComparable: null };
        const image = found.images[k];
        return { ...image, group: members.indexOf(screened[image.group]) };
      }),
    };
  }

  /**
   * Same operations, in the same order, as runMusc: mean over layers per degree, then over degrees.
   * A group of near-duplicates scores as one image: per value, its nearest member.
   */
  private patchScores(e: Entry, scorers: readonly number[][], window: RankInterval): Float64Array {
    const P = this.patches;
    const { rList } = this.config;
    const rowOf = (h: number): Float32Array => {
      const row = e.nearest.get(h);
      if (!row) throw new Error(`internal: distances of ${e.id} to a scorer are missing`);
      return row;
    };
    const rows = scorers.map((group) => (group.length === 1 ? rowOf(group[0]) : elementwiseMin(group.map(rowOf))));
    const out = new Float64Array(P);
    const perDegree = new Float64Array(P);
    const distances = new Float32Array(scorers.length);
    for (let ri = 0; ri < rList.length; ri++) {
      perDegree.fill(0);
      for (let l = 0; l < this.layers; l++) {
        const at = (ri * this.layers + l) * P;
        for (let p = 0; p < P; p++) {
          for (let k = 0; k < rows.length; k++) distances[k] = rows[k][at + p];
          perDegree[p] += intervalMean(distances, window) / this.layers;
        }
      }
      for (let p = 0; p < P; p++) out[p] += perDegree[p] / rList.length;
    }
    return out;
  }

  /**
   * A kept, scored image's nearest-patch distances to each of its scorers, as scoring kept them
   * ([sets·P] each, sets in degree-major order), for the evidence (engine evidence.ts).
   */
  scorerDistances(id: string): ScorerDistances[] | null {
    this.rescore();
    const entry = this.entries.find((e) => e.id === id);
    if (!entry?.scoredBy || !entry.score) return null;
    const byHandle = new Map(this.entries.map((e) => [e.handle, e]));
    return entry.scoredBy.scorers.flat().map((h) => ({
      id: byHandle.get(h)?.id ?? '',
      distances: entry.nearest.get(h) as Float32Array,
    }));
  }

  /** Every nearest-patch distance row kept for a kept image, whoever scores it now (screening's figures). */
  distancesKept(id: string): ScorerDistances[] {
    const entry = this.entries.find((e) => e.id === id);
    const byHandle = new Map(this.entries.map((e) => [e.handle, e.id]));
    return [...(entry?.nearest ?? [])].map(([h, distances]) => ({ id: byHandle.get(h) ?? '', distances }));
  }

  /** side of the patch grid (0 before the first images) */
  get grid(): number {
    return this.shape?.grid ?? 0;
  }

  /** One kept image's patch scores [P], or null while it has none (or is not kept); no state snapshot built. */
  patchScoresOf(id: string): Float64Array | null {
    this.rescore();
    return this.entries.find((e) => e.id === id)?.score?.patchScores ?? null;
  }

  private get patches(): number {
    return this.grid * this.grid;
  }
}
