// A tiny router: the path picks a screen, each screen is its own lazily loaded chunk,
// so the door phone downloads only the door's code. Add a screen by adding a line here
// (and its path to APP_ROUTES in netevents/web/routes.py when it is a new top-level path).
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

export type Params = Record<string, string>;
// Each screen declares the params its pattern names; the table cannot check them, so `any` here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Screen = ComponentType<{ params: any }>;
type Loader = () => Promise<{ default: Screen }>;

const table: [string, Loader][] = [
  ["/", () => import("./screens/Events")],
  ["/e/:eventId", () => import("./screens/EventPage")],
  ["/signin", () => import("./screens/SignIn")],
  ["/me", () => import("./screens/MyEvents")],
  ["/me/badge/:registrationId", () => import("./screens/MyBadge")],
  ["/me/connections", () => import("./screens/people/Connections")],
  ["/me/profile", () => import("./screens/people/Profile")],
  ["/e/:eventId/people", () => import("./screens/people/People")],
  ["/e/:eventId/bingo", () => import("./screens/bingo/MyBingo")],
  ["/p/:secret", () => import("./screens/SelfCheckIn")],
  ["/b/:secret", () => import("./screens/PublicBadge")],
  ["/scan", () => import("./screens/Scan")],
  ["/door", () => import("./screens/door/DoorScreen")],
  ["/organize", () => import("./screens/organize/OrganizeHome")],
  ["/organize/new", () => import("./screens/organize/EventEditor")],
  ["/organize/events/:eventId", () => import("./screens/organize/EventManage")],
  ["/organize/events/:eventId/projector", () => import("./screens/bingo/Projector")],
  ["/organize/events/:eventId/posters/:posterId/print", () => import("./screens/organize/PosterPrint")],
  ["/organize/events/:eventId/:tab", () => import("./screens/organize/EventManage")],
];

const notFound: Loader = () => import("./screens/NotFound");

const compiled = table.map(([pattern, load]) => {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { pattern, load, regex: new RegExp(`^${source}/?$`), names };
});

export interface Match { pattern: string; load: Loader; params: Params }

export function matchRoute(path: string): Match {
  for (const route of compiled) {
    const found = route.regex.exec(path);
    if (found) {
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { pattern: route.pattern, load: route.load, params };
    }
  }
  return { pattern: "*", load: notFound, params: {} };
}

const listeners = new Set<() => void>();

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

/** The current path, re-rendering on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return path;
}

/** Same-origin links to app screens navigate without a page load. */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/j/")) return;
    if (url.pathname.startsWith("/static/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
