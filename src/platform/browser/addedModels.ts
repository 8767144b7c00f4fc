// Models the user added in the page (Settings → "Add a model…"), kept in the origin's Cache API
// storage under our own URLs: they outlive reloads and work offline without the service worker.
// The manifest is written last, so a model without one is half-stored (an add that failed or was
// cancelled, a tab closed mid-way) and its files are removed the next time the store is read,
// unless a tab is adding it right now: an add holds a Web Lock named after its id until it ends,
// and the browser releases it should the tab close or crash.
// The cache's name does not start with "muscope-": the service worker deletes those on update.
import type { ModelManifest } from '../../encoders/manifest.ts';
import { type FileParts, partsLength } from '../../encoders/onnx/index.ts';
import { streamOfParts } from './fileParts.ts';
import { MODELS_BASE } from './modelFiles.ts';

const CACHE = 'added-models';
const MANIFEST = 'manifest.json';
/** Ids of added models start with this, so they never collide with installed ones. */
export const ADDED_ID_PREFIX = 'added-';

export interface AddedModel {
  manifest: ModelManifest;
  /** bytes of all its files in storage */
  bytes: number;
}

const urlOf = (id: string, file: string): string =>
  new URL(`${MODELS_BASE}added/${encodeURIComponent(id)}/${file}`, self.location.origin).href;

/** The id a file path in the store belongs to, or null for anything else. */
function idOf(url: string): string | null {
  const path = new URL(url).pathname;
  const prefix = `${MODELS_BASE}added/`;
  if (!path.startsWith(prefix)) return null;
  return decodeURIComponent(path.slice(prefix.length).split('/')[0]);
}

export const isAddedModel = (id: string): boolean => id.startsWith(ADDED_ID_PREFIX);

/** Streams the file into storage: a body built from the whole file would be a copy of it. */
export async function putAddedFile(id: string, file: string, parts: FileParts): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.put(
    urlOf(id, file),
    new Response(streamOfParts(parts), {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(partsLength(parts)) },
    }),
  );
}

/** Stores the manifest, which makes the model complete and listed. */
export async function putAddedManifest(manifest: ModelManifest): Promise<void> {
  const cache = await caches.open(CACHE);
  await cache.put(
    urlOf(manifest.id, MANIFEST),
    new Response(JSON.stringify(manifest, null, 2), { headers: { 'content-type': 'application/json' } }),
  );
}

export async function addedManifest(id: string): Promise<ModelManifest | null> {
  const response = await (await caches.open(CACHE)).match(urlOf(id, MANIFEST));
  return response ? ((await response.json()) as ModelManifest) : null;
}

/** A stored file of an added model, as a response to stream; null when it is not stored. */
export async function addedFile(id: string, file: string): Promise<Response | null> {
  return (await (await caches.open(CACHE)).match(urlOf(id, file))) ?? null;
}

async function sizeOf(cache: Cache, request: Request): Promise<number> {
  const response = await cache.match(request);
  const length = Number(response?.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : ((await response?.blob())?.size ?? 0);
}

const lockOf = (id: string): string => `muscope-adding-${id}`;

/** Runs `add`, the storing of model `id`, holding its lock: any tab's listing spares its files meanwhile. */
export function whileAdding<T>(id: string, add: () => Promise<T>): Promise<T> {
  return navigator.locks.request(lockOf(id), add);
}

/** Ids some tab of this origin is adding now. */
async function beingAdded(): Promise<Set<string>> {
  const { held = [] } = await navigator.locks.query();
  return new Set(held.map((lock) => lock.name ?? ''));
}

/** Every complete added model with the bytes it takes; half-stored ones are removed on the way, unless being added. */
export async function addedModels(): Promise<AddedModel[]> {
  const adding = await beingAdded();
  const cache = await caches.open(CACHE);
  const byId = new Map<string, Request[]>();
  for (const request of await cache.keys()) {
    const id = idOf(request.url);
    if (id !== null) byId.set(id, [...(byId.get(id) ?? []), request]);
  }
  const models: AddedModel[] = [];
  for (const [id, requests] of byId) {
    if (adding.has(lockOf(id))) continue;
    const manifest = await addedManifest(id);
    if (!manifest) {
      await Promise.all(requests.map((r) => cache.delete(r)));
      continue;
    }
    let bytes = 0;
    for (const request of requests) bytes += await sizeOf(cache, request);
    models.push({ manifest, bytes });
  }
  return models.sort((a, b) => a.manifest.displayName.localeCompare(b.manifest.displayName));
}

/** Deletes every file of `id` (complete or not); returns the bytes freed. */
export async function removeAddedModel(id: string): Promise<number> {
  const cache = await caches.open(CACHE);
  let freed = 0;
  for (const request of await cache.keys()) {
    if (idOf(request.url) !== id) continue;
    freed += await sizeOf(cache, request);
    await cache.delete(request);
  }
  return freed;
}
