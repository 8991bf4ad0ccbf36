// The service worker: after one visit the app opens, and practice plays, with no network.
//
// - Install: every file of this build (the list and the build's version are written into this
//   file by the build, see vite.config.ts) goes into a cache named after the version.
// - Pages (navigations): the network first, so an online player always gets the newest build;
//   the cached page when the network fails or is slower than NAVIGATION_TIMEOUT_MS.
// - The build's files: from the cache (their names change with their content); anything not
//   cached goes to the network.
// - Nothing else is touched: the WebSocket, other methods than GET, other origins and the
//   server's own paths (/healthz, /metrics, an API) go to the network as if there were no worker.
// - A new build is a new file here, so the browser installs it next to the old one; it takes over
//   once no page of the old build is open (no skipWaiting: an open page of the old build keeps
//   its own files), and then deletes the old build's cache.

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", fn: (ev: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", fn: (ev: FetchEvent) => void): void;
}

/** Replaced by the build: the files to precache (relative to the scope) and their version. */
declare const __PRECACHE__: { version: string; files: string[] };

const sw = self as unknown as ServiceWorkerScope;
const { version, files } = __PRECACHE__;
const PREFIX = "bigtwo-";
const CACHE = `${PREFIX}${version}`;
const NAVIGATION_TIMEOUT_MS = 4000;
const scope = new URL(sw.registration.scope);
const precached = new Set(files.map((f) => new URL(f, scope).href));
const INDEX = new URL("index.html", scope).href;

sw.addEventListener("install", (ev) => {
  // `cache: "reload"`: the files from the server, not from the HTTP cache of an older build.
  ev.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...precached].map((url) => new Request(url, { cache: "reload" })))));
});

sw.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener("fetch", (ev) => {
  const req = ev.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== scope.origin) return;
  if (req.mode === "navigate") {
    ev.respondWith(page(req));
    return;
  }
  url.search = "";
  url.hash = "";
  if (precached.has(url.href)) ev.respondWith(cached(req, url.href));
});

async function cached(req: Request, href: string): Promise<Response> {
  const hit = await caches.match(href, { cacheName: CACHE });
  return hit ?? fetch(req);
}

/** The page from the network, or the cached one when the network fails or is too slow. */
async function page(req: Request): Promise<Response> {
  const fallback = async (): Promise<Response> => {
    const hit = await caches.match(INDEX, { cacheName: CACHE });
    if (hit) return hit;
    throw new Error("offline and the page is not cached");
  };
  const network = fetch(req);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = setTimeout(() => resolve("slow"), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([network, slow]);
    if (first !== "slow") return first;
    return await fallback().catch(() => network);
  } catch {
    return fallback();
  } finally {
    clearTimeout(timer);
  }
}
