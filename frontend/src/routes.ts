// The screens and their paths. preact-iso's Router (in main.tsx) matches the path; each screen is its own
// lazily loaded chunk, so the door phone downloads only the door's code. Add a screen by adding a line here
// (and its path to APP_ROUTES in netevents/web/routes.py when it is a new top-level path).
import type { ComponentType } from "preact";

export type Params = Record<string, string>;
// Each screen declares the params its pattern names; the table cannot check them, so `any` here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Screen = ComponentType<{ params: any }>;
export type Loader = () => Promise<{ default: Screen }>;

const newEvent: Loader = () => import("./screens/organize/EventEditor");

export const screens: [string, Loader][] = [
  ["/", () => import("./screens/Events")],
  ["/e/:eventId", () => import("./screens/EventPage")],
  ["/signin", () => import("./screens/SignIn")],
  ["/me", () => import("./screens/MyEvents")],
  ["/me/badge/:registrationId", () => import("./screens/MyBadge")],
  ["/me/connections", () => import("./screens/people/Connections")],
  ["/me/connections/events/:eventId", () => import("./screens/people/EventConnections")],
  ["/me/profile", () => import("./screens/people/Profile")],
  ["/e/:eventId/people", () => import("./screens/people/People")],
  ["/e/:eventId/bingo", () => import("./screens/bingo/MyBingo")],
  ["/p/:secret", () => import("./screens/SelfCheckIn")],
  ["/b/:secret", () => import("./screens/PublicBadge")],
  ["/scan", () => import("./screens/Scan")],
  ["/door", () => import("./screens/door/DoorScreen")],
  ["/organize", () => import("./screens/organize/OrganizeHome")],
  ["/organize/new", newEvent],
  // Before the event's own screens, which would read "new" as an event's id.
  ["/organize/events/new", newEvent],
  ["/organize/events/:eventId", () => import("./screens/organize/EventManage")],
  ["/organize/events/:eventId/projector", () => import("./screens/bingo/Projector")],
  ["/organize/events/:eventId/posters/:posterId/print", () => import("./screens/organize/PosterPrint")],
  ["/organize/events/:eventId/:tab", () => import("./screens/organize/EventManage")],
];

export const notFound: Loader = () => import("./screens/NotFound");

/** Links the router handles without a page load: every same-origin path but the API, the badge short links
 * and static files, which the server answers itself. */
export const APP_LINKS = /^\/(?!api\/|j\/|static\/)/;
