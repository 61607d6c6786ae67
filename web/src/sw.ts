/**
 * The app's service worker (built as sw.js; build/service-worker.ts writes the file list in). On
 * install it caches every file of the build, so the app works offline; it serves the app from that
 * cache and adds the cross-origin isolation headers (COOP/COEP, as coi-serviceworker does) that
 * multi-threaded WebAssembly needs, for hosts that cannot send them. It touches nothing but the
 * app's own origin. A classic script on purpose (no imports): module service workers are not
 * supported everywhere.
 */

interface Manifest {
  version: string;
  files: string[];
}

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WorkerScope {
  registration: { scope: string };
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', f: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', f: (e: FetchEvent) => void): void;
}

const sw = self as unknown as WorkerScope;
const MANIFEST = '__PRECACHE_MANIFEST__' as unknown as Manifest;
const CACHE = `deep-prior-${MANIFEST.version}`;

sw.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(MANIFEST.files.map((f) => new URL(f, sw.registration.scope).href)))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (e) => {
  const old = caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('deep-prior-') && k !== CACHE).map((k) => caches.delete(k))));
  e.waitUntil(old.then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  e.respondWith(respond(e.request));
});

async function respond(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const key = request.mode === 'navigate' ? new URL('./', sw.registration.scope).href : request;
  // ignoreVary: the host may answer with Vary (Origin, Accept-Encoding) that the page's requests do not match.
  const hit = await cache.match(key, { ignoreSearch: request.mode === 'navigate', ignoreVary: true });
  return isolated(hit ?? (await fetch(request)));
}

/** The response with the headers that make the page cross-origin isolated. */
function isolated(r: Response): Response {
  if (r.status === 0) return r;
  const headers = new Headers(r.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(r.body, { status: r.status, statusText: r.statusText, headers });
}
