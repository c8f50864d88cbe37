// Meeting people at an event and my own data: the directory's filters as the address keeps them, what others see
// of me (the preview, as netevents/people/visibility.py decides it), blocks, export and deleting my account.
import { api, type Page as ApiPage } from "./api";
import { setSession } from "./session";
import type { Block, DirectoryEntry, PersonCard, Profile, Sharing, Suggestion, Visibility } from "./types";

export type DirectoryPage = ApiPage<DirectoryEntry> & { total_capped: boolean };
export type PeopleTab = "suggested" | "everyone";

/** What the "Everyone" tab is narrowed to; the address keeps it (`?tab=everyone&topic=go`), to reload or share. */
export interface PeopleFilters { q: string; topic: string; mentors_in: string; seeks_mentor_in: string }
export const NO_FILTERS: PeopleFilters = { q: "", topic: "", mentors_in: "", seeks_mentor_in: "" };
const FILTER_KEYS = ["q", "topic", "mentors_in", "seeks_mentor_in"] as const;

/** Each topic filter in words, for its field and for the chip that removes it. */
export const TOPIC_FILTERS: { key: Exclude<keyof PeopleFilters, "q">; label: string; chip: string }[] = [
  { key: "topic", label: "Cares about", chip: "Cares about" },
  { key: "mentors_in", label: "Can mentor in", chip: "Mentors in" },
  { key: "seeks_mentor_in", label: "Looks for a mentor in", chip: "Looks for a mentor in" },
];

export const PER_PAGE = 20;
export const SUGGESTION_LIMIT = 20;

export function readPeopleSearch(search: string): { tab: PeopleTab; filters: PeopleFilters } {
  const params = new URLSearchParams(search);
  const filters = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = (params.get(key) ?? "").trim();
  return { tab: params.get("tab") === "everyone" ? "everyone" : "suggested", filters };
}

/** The address's query for a tab and its filters ("" for the suggestions, the default). */
export function peopleSearch(tab: PeopleTab, filters: PeopleFilters): string {
  if (tab === "suggested") return "";
  const params = new URLSearchParams({ tab });
  for (const key of FILTER_KEYS) if (filters[key].trim()) params.set(key, filters[key].trim());
  return `?${params}`;
}

export function hasFilters(filters: PeopleFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key].trim() !== "");
}

export function loadDirectory(eventId: number, filters: PeopleFilters, page: number): Promise<DirectoryPage> {
  const query: Record<string, string | number> = { page, per_page: PER_PAGE };
  for (const key of FILTER_KEYS) if (filters[key].trim()) query[key] = filters[key].trim();
  return api<DirectoryPage>(`/events/${eventId}/directory`, { query });
}

export async function loadSuggestions(eventId: number): Promise<Suggestion[]> {
  return (await api<{ items: Suggestion[] }>(`/events/${eventId}/suggestions`, { query: { limit: SUGGESTION_LIMIT } })).items;
}

/** Whether suggestions have anything of mine to go on: topics, or mentoring offered or sought. */
export function hasInterests(profile: Pick<Profile, "topics" | "mentoring_offered" | "mentoring_sought">): boolean {
  return profile.topics.length + profile.mentoring_offered.length + profile.mentoring_sought.length > 0;
}

/** Topics worth offering as filters: mine first, then those on the cards shown, each once (whatever the case). */
export function knownTopics(profile: Pick<Profile, "topics" | "mentoring_offered" | "mentoring_sought"> | null, people: PersonCard[]): string[] {
  const found = new Map<string, string>();
  const add = (topics: readonly string[] | null | undefined) => topics?.forEach((topic) => {
    if (!found.has(topic.toLowerCase())) found.set(topic.toLowerCase(), topic);
  });
  if (profile) [profile.topics, profile.mentoring_sought, profile.mentoring_offered].forEach(add);
  for (const person of people) [person.topics, person.mentoring_offered, person.mentoring_sought].forEach(add);
  return [...found.values()];
}

/** Block someone: hidden from each other everywhere, and no connecting. */
export async function blockPerson(userId: number): Promise<Block> {
  return api<Block>("/me/blocks", { method: "POST", body: { user_id: userId } });
}

export async function unblockPerson(userId: number): Promise<void> {
  await api(`/me/blocks/${userId}`, { method: "DELETE" });
}

/** Whom a block is of, as a list of blocks shows it: by the name I know them by, or, when the API gives none (we
 * never met, no directory of my events lists them and they organize none of them), without a name. */
export function blockedName(block: Pick<Block, "name">): string {
  return block.name ?? "Someone you never met";
}

export async function loadBlocks(): Promise<Block[]> {
  return (await api<ApiPage<Block>>("/me/blocks", { query: { per_page: 100 } })).items;
}

/** Delete my account and everything that is mine; signed out on this phone at once. */
export async function deleteMyAccount(): Promise<void> {
  await api("/me", { method: "DELETE" });
  setSession(null);
}

/** The file name of my data's download, dated: `netevents-my-data-2026-12-03.json`. */
export function exportFileName(now = new Date()): string {
  return `netevents-my-data-${now.toISOString().slice(0, 10)}.json`;
}

/** The word typed to confirm deleting an account. */
export const DELETE_WORD = "delete";

export function deleteConfirmed(typed: string): boolean {
  return typed.trim().toLowerCase() === DELETE_WORD;
}

// --- Sharing and the preview of what others see ------------------------------------------------------------

export type SharedDetail = keyof Required<Sharing>;

/** The details shared one by one, in the order the profile lists them. */
export const SHARED_DETAILS: { detail: SharedDetail; label: string }[] = [
  { detail: "headline", label: "Headline" },
  { detail: "company", label: "Company" },
  { detail: "email", label: "Email" },
  { detail: "phone", label: "Phone" },
  { detail: "links", label: "Link" },
];

export const VISIBILITY_CHOICES: { value: Visibility; label: string }[] = [
  { value: "everyone", label: "Everyone at my events" },
  { value: "connections", label: "People I met" },
  { value: "nobody", label: "Only me" },
];

/** Who looks, in the preview: someone confirmed for an event I attend, or someone I met (a connection). */
export type Viewer = "attendee" | "connection";

/** What the preview reads of my profile as it is being edited. */
export type PreviewProfile = Pick<Profile, "id" | "name" | "email" | "phone" | "headline" | "company" | "links" | "topics" | "mentoring_offered" | "mentoring_sought" | "directory_opt_in"> & { sharing: Required<Sharing> };

/** Whether a detail shared with `visibility` shows to this viewer (visibility.py's `may_see`). */
export function shownTo(visibility: Visibility, viewer: Viewer): boolean {
  return visibility === "everyone" || (visibility === "connections" && viewer === "connection");
}

/** My card as this viewer sees it (visibility.py's `card_for`): null means "not shared with them". Topics and
 * mentoring go to connections, and to people at my events only while I am listed in the directory. */
export function cardAs(me: PreviewProfile, viewer: Viewer): PersonCard {
  const detail = <T,>(name: SharedDetail, value: T): T | null => (shownTo(me.sharing[name], viewer) ? value : null);
  const interests = viewer === "connection" || me.directory_opt_in;
  return {
    user_id: me.id,
    name: me.name,
    headline: detail("headline", me.headline),
    company: detail("company", me.company),
    email: detail("email", me.email),
    phone: detail("phone", me.phone),
    links: detail("links", me.links),
    topics: interests ? me.topics : null,
    mentoring_offered: interests ? me.mentoring_offered : null,
    mentoring_sought: interests ? me.mentoring_sought : null,
  };
}

/** The details I filled in that this viewer does not see, in words, for the line under the preview ("email, phone"). */
export function hiddenFrom(me: PreviewProfile, viewer: Viewer): string[] {
  const filled = (detail: SharedDetail) => (detail === "links" ? me.links.length > 0 : Boolean(me[detail].trim()));
  const hidden = SHARED_DETAILS.filter(({ detail }) => filled(detail) && !shownTo(me.sharing[detail], viewer)).map(({ label }) => label.toLowerCase());
  const interests = me.topics.length + me.mentoring_offered.length + me.mentoring_sought.length > 0;
  if (viewer === "attendee" && !me.directory_opt_in && interests) hidden.push("topics and mentoring");
  return hidden;
}

/** A shared link as it reads in one short line: its label, else its site ("bob.example.com"), else "Link". */
export function linkWords(link: { label?: string | null; url: string }): string {
  const label = link.label?.trim();
  if (label) return label;
  try {
    return new URL(link.url).hostname.replace(/^www\./, "") || "Link";
  } catch {
    return "Link";
  }
}

/** "Ada Lovelace" -> "AL", for the round picture on a card: the first letter of the first and last words that have
 * one, so "(Ada) O'Brien!" is "AO", not "(O". */
export function initials(name: string): string {
  const firstLetters = name
    .split(/\s+/)
    .map((word) => word.match(/\p{L}/u)?.[0])
    .filter((letter): letter is string => letter !== undefined);
  const letters = firstLetters.length > 1 ? [firstLetters[0], firstLetters[firstLetters.length - 1]] : firstLetters;
  return letters.join("").toUpperCase() || "?";
}

/** The first word of a name, to speak of someone on their card's buttons ("Block Ada"). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
