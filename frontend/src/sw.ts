// netevents service worker, built by vite-plugin-pwa (Workbox, "injectManifest") into dist/sw.js and served
// at /sw.js so it controls every app page. It precaches the app shell and every built script and style (but the
// organizer's network picture, see vite.config.ts), so the door and badge screens open with no network. API
// answers are never cached here (the door keeps its own data in IndexedDB), except public badge cards
// (/api/v1/badges/...), kept for /b/{secret} offline.
/// <reference lib="webworker" />
import { clientsClaim } from "workbox-core";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";

declare const self: ServiceWorkerGlobalScope;

const SHELL = "/static/index.html";
const NETWORK_WAIT_SECONDS = 3;

// Hashed build files never change: served from the precache, which a new build replaces whole.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
void self.skipWaiting();
clientsClaim();

/** App pages: the network when it answers quickly (so a server page or a 404 shows as served), else the
 * cached shell; the web app's router does the rest. */
async function appPage({ request }: { request: Request }): Promise<Response> {
  try {
    const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_WAIT_SECONDS * 1000) });
    if (response.ok || response.status === 404) return response;
  } catch {
    // offline or too slow: the shell below
  }
  return (await matchPrecache(SHELL)) ?? Response.error();
}

// Webinar join links redirect away and API addresses are machines': neither gets the shell.
registerRoute(new NavigationRoute(appPage, { denylist: [/^\/api\//, /^\/j\//] }));

// Public badge cards: fresh when online, the last copy when not.
registerRoute(
  ({ url, request }) => request.method === "GET" && url.origin === self.location.origin && url.pathname.startsWith("/api/v1/badges/"),
  new NetworkFirst({ cacheName: "netevents-runtime", networkTimeoutSeconds: NETWORK_WAIT_SECONDS }),
);
