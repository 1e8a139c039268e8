/* Offline service worker for the workshop whiteboard (generated at build time; see vite.config.ts).
 *
 * - App shell (index.html, hashed JS/CSS, fonts, icons, tldraw's EN/NL/ES strings) is precached
 *   at install, so a board can be reloaded while offline; its content then comes from IndexedDB.
 * - Navigations and /api GETs: network first, cached copy when the network fails or is very slow.
 * - Hashed files and uploaded images (immutable URLs): cache first.
 * - Never touched: websocket sync (/sync), the board document (/api/boards/:id/document: a copy of
 *   the whole board, fetched only online into an empty document; IndexedDB keeps the board, a
 *   second copy here would only take space and go stale), non-GET requests, other origins.
 */
const VERSION = __VERSION__
const PRECACHE = __PRECACHE__
const SHELL_CACHE = `ww-shell-${VERSION}`
const RUNTIME_CACHE = 'ww-runtime-v1'
/** After this long without an answer, a navigation is served from cache (slow links). */
const NAVIGATION_TIMEOUT_MS = 4000

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // One by one rather than addAll: on a flaky link a single failed file should not throw
      // away the rest (anything missing is cached the first time it is used).
      .then((cache) => Promise.allSettled(PRECACHE.map((url) => cache.add(url))))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('ww-shell-') && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  )
})

function isImmutable(url) {
  return url.pathname.startsWith('/assets/') || url.pathname.startsWith('/api/assets/')
}

async function cacheFirst(request) {
  const cached = await caches.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) {
    const copy = response.clone()
    caches.open(RUNTIME_CACHE).then((cache) => cache.put(request, copy))
  }
  return response
}

async function networkFirst(request, fallbackUrl, timeoutMs) {
  const network = fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone()
      caches.open(fallbackUrl ? SHELL_CACHE : RUNTIME_CACHE).then((cache) => cache.put(fallbackUrl ?? request, copy))
    }
    return response
  })
  const fromCache = () => caches.match(fallbackUrl ?? request)
  if (timeoutMs) {
    const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs))
    const first = await Promise.race([network.catch(() => 'failed'), timedOut])
    if (first !== 'timeout' && first !== 'failed') return first
    const cached = await fromCache()
    if (cached) return cached
    return network
  }
  try {
    return await network
  } catch (error) {
    const cached = await fromCache()
    if (cached) return cached
    throw error
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/sync') || url.pathname === '/healthz') return
  if (/^\/api\/boards\/[^/]+\/document$/.test(url.pathname)) return

  if (request.mode === 'navigate') {
    // Every page is the same single-page app shell.
    event.respondWith(networkFirst(request, '/index.html', NAVIGATION_TIMEOUT_MS))
  } else if (isImmutable(url)) {
    event.respondWith(cacheFirst(request))
  } else if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request))
  } else {
    event.respondWith(caches.match(request).then((cached) => cached ?? fetch(request)))
  }
})
