// The filters of "My connections", kept in the address (?event=12&q=ada&followed_up=false&page=2) so that a
// reload, a shared link or the back button shows the same list; the API takes the same filters for the list
// and for its vCard and CSV downloads.

import { actionLabel } from "../../lib/actions";

export type FollowedUp = "yes" | "no" | "any";

export interface ConnectionFilters {
  eventId: number | null;
  q: string;
  followedUp: FollowedUp;
  page: number;
}

export const NO_FILTERS: ConnectionFilters = { eventId: null, q: "", followedUp: "any", page: 1 };

function positive(value: string | null): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

/** The filters an address asks for; anything it says wrongly is left out (a hand-edited link still opens). */
export function filtersFrom(search: string): ConnectionFilters {
  const params = new URLSearchParams(search);
  const followed = params.get("followed_up");
  return {
    eventId: positive(params.get("event")),
    q: (params.get("q") ?? "").slice(0, 100),
    followedUp: followed === "true" ? "yes" : followed === "false" ? "no" : "any",
    page: positive(params.get("page")) ?? 1,
  };
}

/** The address's query for these filters: "" when there are none. */
export function searchOf(filters: ConnectionFilters): string {
  const params = new URLSearchParams();
  if (filters.eventId !== null) params.set("event", String(filters.eventId));
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.followedUp !== "any") params.set("followed_up", filters.followedUp === "yes" ? "true" : "false");
  if (filters.page > 1) params.set("page", String(filters.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The API's query for these filters (the list adds its page; the downloads take all of them). */
export function apiQuery(filters: ConnectionFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.eventId !== null) query.event_id = String(filters.eventId);
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.followedUp !== "any") query.followed_up = filters.followedUp === "yes" ? "true" : "false";
  return query;
}

export function isFiltered(filters: ConnectionFilters): boolean {
  return filters.eventId !== null || filters.q.trim() !== "" || filters.followedUp !== "any";
}

/** A connection tag as shown: an action (a slug) in words, a tag in my own words as I typed it. */
export function tagLabel(tag: string): string {
  return /^[a-z][a-z0-9_]*$/.test(tag) ? actionLabel(tag) : tag;
}
