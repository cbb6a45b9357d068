// The service worker (served at /sw.js, with VERSION and SHELL prepended by the server:
// tuan.http.routes.app_shell). What this device keeps to read without a network:
// - the app shell (styles, scripts, icons, the "offline" page), saved at install;
// - the chat list and the chats opened most recently (their pages and their latest messages),
//   saved each time they are read online, the newest KEPT_CHATS of them.
// Everything is read from the network first; the saved copy answers only when the network does
// not. Nothing about money (orders, payments, the cart, the wallet) is ever saved or queued: those
// requests go to the network or fail, and the page says they need a connection. Logging out
// clears all of it (the server sends Clear-Site-Data).
const SHELL_CACHE = `tuan-shell-${VERSION}`;
const READ_CACHE = "tuan-read";
const KEPT_CHATS = 10;

const SAVED_PAGES = [/^\/chats$/, /^\/chats\/\d+$/];
const SAVED_API = [
  /^\/api\/v1\/conversations$/,
  /^\/api\/v1\/conversations\/\d+\/members$/,
  /^\/api\/v1\/groups\/\d+$/,
  /^\/api\/v1\/cards\/\d+$/,
];
// The latest page of a chat (the sync and scroll-back requests carry after= or before=).
const LATEST_MESSAGES = /^\/api\/v1\/conversations\/\d+\/messages$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("tuan-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function saved(url) {
  if (SAVED_API.some((pattern) => pattern.test(url.pathname))) return true;
  return LATEST_MESSAGES.test(url.pathname) && !url.searchParams.has("after") && !url.searchParams.has("before");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
  } else if (request.mode === "navigate") {
    const keep = SAVED_PAGES.some((pattern) => pattern.test(url.pathname));
    event.respondWith(networkFirst(request, keep, true));
  } else if (saved(url)) {
    event.respondWith(networkFirst(request, true, false));
  }
});

// The network's answer (saved for later when `keep`), or the saved copy when there is no network;
// a page never saved shows the "offline" page.
async function networkFirst(request, keep, page) {
  try {
    const response = await fetch(request);
    if (keep && response.ok && !response.redirected) await remember(request, response.clone());
    return response;
  } catch (error) {
    const hit = await caches.match(request, { ignoreVary: true });
    if (hit) return hit;
    if (page) return (await caches.match("/offline")) ?? Response.error();
    throw error;
  }
}

// Saved under its URL, moved to the end; only the chats opened most recently are kept (with the
// chat list, the members and groups of those chats, and the cards shown in them).
async function remember(request, response) {
  const cache = await caches.open(READ_CACHE);
  await cache.delete(request);
  await cache.put(request, response);
  const chats = (await cache.keys()).filter((key) => /\/chats\/\d+$/.test(new URL(key.url).pathname));
  for (const stale of chats.slice(0, Math.max(0, chats.length - KEPT_CHATS))) {
    const id = new URL(stale.url).pathname.split("/").pop();
    await cache.delete(stale);
    for (const key of await cache.keys()) {
      if (new URL(key.url).pathname.startsWith(`/api/v1/conversations/${id}/`)) await cache.delete(key);
    }
  }
}

// Web Push: what the server sent (already said in the receiver's language, and only what they may
// see: tuan.push) becomes one notification per chat (its tag), updated by the next rather than
// stacked; tapping it opens the chat at the message, or the order.
// Pushes are shown one after another, and one older than the notification already showing under
// its tag (by the server's `order`: a chat's message position) is dropped: push services do not
// keep order, and "1 new message" must never replace "2".
let showing = Promise.resolve();
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  if (!data.title) return;
  const shown = showing.then(() => showUnlessStale(data));
  showing = shown.catch(() => undefined);
  event.waitUntil(shown);
});

async function showUnlessStale(data) {
  const order = Number.isInteger(data.order) ? data.order : null;
  if (data.tag && order !== null) {
    const same = await self.registration.getNotifications({ tag: data.tag });
    if (same.some((n) => Number.isInteger(n.data?.order) && n.data.order > order)) return;
  }
  await self.registration.showNotification(data.title, {
    body: data.body ?? "",
    tag: data.tag ?? undefined,
    renotify: Boolean(data.tag),
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    data: { url: sameOrigin(data.url), order },
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = sameOrigin(event.notification.data?.url);
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const tab = open.find((client) => "focus" in client);
    if (tab) {
      await tab.navigate(url);
      return tab.focus();
    }
    return self.clients.openWindow(url);
  })());
});

// A notification only ever opens a page of this site.
function sameOrigin(url) {
  try {
    const target = new URL(url ?? "/chats", self.location.origin);
    return target.origin === self.location.origin ? target.pathname + target.search + target.hash : "/chats";
  } catch {
    return "/chats";
  }
}
