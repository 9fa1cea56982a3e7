// The service worker of the installable app (issue 17), bundled by `make assets` (esbuild) from Workbox 7
// into static/vendor/offline-sw.js and served at /sw.js. What it keeps, in two caches:
// - tppo-pages: the officer's pages and entry forms, fresh from the network when there is one, the last
//   copy when there is none; only plain 200 answers (never a redirect to the sign-in page);
// - tppo-assets: the app's own static files.
// The page script (assets/offline.js) fills tppo-pages after an online visit of My work and empties
// every tppo-* cache when someone signs out or another person signs in: nothing of one user is kept
// for the next. Entries saved offline are kept by the page script in IndexedDB, not here.
import { clientsClaim } from "workbox-core";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";

self.skipWaiting();
clientsClaim();

export const PAGES = "tppo-pages";
export const ASSETS = "tppo-assets";

// /rad/<plan>/my-work/, my-indicators/, indicators/<code>/entries/[new/], entries/<id>/, and / itself
const OFFICER_PAGE = /^\/($|rad\/[^/]+\/(my-work|my-indicators|indicators\/[^/]+\/entries(\/new)?|entries\/\d+)\/$)/;

const onlyPlainAnswers = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};

registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && OFFICER_PAGE.test(url.pathname),
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 10,
    plugins: [onlyPlainAnswers],
    matchOptions: { ignoreVary: true }, // kept by the page script's fetch, asked for by a navigation
  }),
);

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: ASSETS, plugins: [onlyPlainAnswers] }),
);

// Offline, a page never opened before: the officer's own page if it is kept (her queue is shown there).
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const cache = await caches.open(PAGES);
    const keys = await cache.keys();
    const mine = keys.find((key) => new URL(key.url).pathname.endsWith("/my-work/"));
    if (mine) return cache.match(mine, { ignoreVary: true });
  }
  return Response.error();
});
