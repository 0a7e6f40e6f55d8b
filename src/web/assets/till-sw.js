/* global self, caches, Response */
// The till's service worker (scope: /caisses/<id>/caisse-enregistreuse). It keeps the till page and its assets so the
// page opens without network; it never touches a POST (purchases go to the network, or to the page's offline queue).
const CACHE = 'caisse-till-v1';
const scope = new URL(self.registration.scope).pathname;

async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch(scope, { credentials: 'same-origin' });
  if (!page.ok) return;
  const text = await page.clone().text();
  await cache.put(scope, page);
  const assets = [...new Set(text.match(/\/assets\/[0-9a-f]+\/[A-Za-z0-9._-]+/g) || [])];
  await Promise.all(assets.map((a) => cache.add(a).catch(() => undefined)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/assets/')) {
    // Hashed URLs never change: cache first.
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) caches.open(CACHE).then((c) => c.put(req, res.clone()));
        return res;
      })),
    );
    return;
  }
  if (req.mode === 'navigate' && url.pathname === scope) {
    // The till page: the network's (fresh form key and token), else the last one kept.
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok && !res.redirected) caches.open(CACHE).then((c) => c.put(scope, res.clone()));
          return res;
        })
        .catch(() => caches.match(scope).then((hit) => hit || new Response('Caisse hors ligne : page indisponible.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }))),
    );
  }
});
