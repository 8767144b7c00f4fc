// MuScope's service worker: precaches the app shell, onnxruntime's runtime, the installed models
// and the demo set, so a second visit works with the network unplugged; adds COOP/COEP to what
// it serves so WASM threads work on hosts that cannot set headers. Same-origin only: it never
// fetches from anywhere else.
// The project compiles with DOM and WebWorker libs together, so `self` is typed as Window here.
const sw = self as unknown as ServiceWorkerGlobalScope;

interface PrecacheEntry {
  url: string;
  revision: string;
  bytes: number;
}

// Replaced at build time with the list of every file to precache (see tooling/vite/offline.ts).
const PRECACHE: PrecacheEntry[] = JSON.parse('__MUSCOPE_PRECACHE__');
const VERSION = '__MUSCOPE_VERSION__';
const CACHE = `muscope-${VERSION}`;

function cacheKey(entry: PrecacheEntry): string {
  return new URL(entry.url, sw.registration.scope).href;
}

async function broadcast(message: unknown): Promise<void> {
  for (const client of await sw.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  const total = PRECACHE.reduce((s, e) => s + e.bytes, 0);
  let done = 0;
  // Files unchanged since the previous version are copied from its cache, not downloaded again.
  const previous = (await caches.keys()).filter((k) => k.startsWith('muscope-') && k !== CACHE);
  for (const entry of PRECACHE) {
    const key = cacheKey(entry);
    let response: Response | undefined;
    for (const name of previous) {
      const old = await (await caches.open(name)).match(key);
      if (old?.headers.get('x-muscope-revision') === entry.revision) response = old;
    }
    if (!response) {
      const fetched = await fetch(key, { cache: 'reload' });
      if (!fetched.ok) throw new Error(`precache failed for ${entry.url}: HTTP ${fetched.status}`);
      const headers = new Headers(fetched.headers);
      headers.set('x-muscope-revision', entry.revision);
      response = new Response(await fetched.blob(), { status: 200, headers });
    }
    await cache.put(key, response);
    done += entry.bytes;
    await broadcast({ type: 'muscope-precache', done, total });
  }
}

sw.addEventListener('install', (event: ExtendableEvent) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('muscope-') && name !== CACHE) await caches.delete(name);
      // Not awaited: in Firefox ESR claim() took the open page over at once but its promise
      // settled only after that page was gone (reloaded), and while activation waits every fetch
      // waits with it: the page's first request hung for a minute and then failed.
      void sw.clients.claim();
      await broadcast({ type: 'muscope-offline-ready' });
    })(),
  );
});

function isolated(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const key = request.mode === 'navigate' ? new URL('index.html', sw.registration.scope).href : request.url;
  const cached = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  if (cached) return isolated(cached);
  return isolated(await fetch(request));
}

sw.addEventListener('fetch', (event: FetchEvent) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  event.respondWith(respond(event.request));
});
