// Meeting people by scanning their badges (/scan): what a scan is sent as, which events are on now, the queue of
// exchanges made offline (one per signed-in person, on the queue every scanner shares), and words for refusals.
import { api } from "./api";
import { newNonce, OfflineQueue, openQueueDatabase, type Queued } from "./offlineQueue";
import { formatDateTime } from "./time";
import type { ExchangeAnswer, ExchangeInput, ExchangeReason, Registration } from "./types";

/** An exchange on this phone, waiting for the server: as it will be sent, plus what the screen shows of it. */
export interface PendingExchange extends Queued {
  qr?: string;
  badge_code?: string;
  actions: string[];
  note: string;
  /** For the queue's list only (not sent): the event picked when scanning. */
  event_title: string;
}

export type MeetQueue = OfflineQueue<PendingExchange, ExchangeAnswer>;

/** This person's queue: exchanges of one sign-in never leave with another's. */
export async function openMeetQueue(userId: number): Promise<MeetQueue> {
  return new OfflineQueue(await openQueueDatabase(`netevents-meet-${userId}`));
}

export function newExchange(badge: { qr: string } | { badge_code: string }, eventTitle: string): PendingExchange {
  return { ...badge, nonce: newNonce(), scanned_at: new Date().toISOString(), actions: [], note: "", event_title: eventTitle };
}

/** As POST /exchanges and /exchanges/batch take it (the API refuses fields it does not know). */
export function toWire(exchange: PendingExchange): ExchangeInput {
  const wire: ExchangeInput = { nonce: exchange.nonce, scanned_at: exchange.scanned_at };
  if (exchange.badge_code !== undefined) wire.badge_code = exchange.badge_code;
  else wire.qr = exchange.qr ?? "";
  if (exchange.actions.length) wire.actions = exchange.actions;
  if (exchange.note.trim()) wire.note = exchange.note.trim();
  return wire;
}

export function sendExchange(exchange: PendingExchange): Promise<ExchangeAnswer> {
  return api<ExchangeAnswer>("/exchanges", { method: "POST", body: toWire(exchange), timeoutMs: 8000 });
}

export async function sendExchanges(exchanges: PendingExchange[]): Promise<ExchangeAnswer[]> {
  const answer = await api<{ results: ExchangeAnswer[] }>("/exchanges/batch", { method: "POST", body: { exchanges: exchanges.map(toWire) } });
  return answer.results;
}

const HOUR = 3600_000;
/** Exchanges stay open a day after an event ends (netevents/people/exchanges.py: AFTER_THE_EVENT). */
const AFTER_THE_EVENT = 24 * HOUR;

/** My confirmed in-person events on now: from check-in's opening (or an hour before the start) to a day after the
 * end, soonest ending first (the one I am most likely in). */
export function eventsOnNow(registrations: Registration[], now = Date.now()): Registration[] {
  return registrations
    .filter((r) => r.status === "confirmed" && r.event?.kind !== "webinar" && r.event?.status !== "cancelled")
    .filter((r) => {
      const event = r.event!;
      const opens = Date.parse(event.checkin_opens_at ?? event.starts_at) - (event.checkin_opens_at ? 0 : HOUR);
      return opens <= now && now <= Date.parse(event.ends_at) + AFTER_THE_EVENT;
    })
    .sort((a, b) => {
      const endedA = Date.parse(a.event!.ends_at) < now, endedB = Date.parse(b.event!.ends_at) < now;
      if (endedA !== endedB) return endedA ? 1 : -1; // still running before finished
      return Date.parse(a.event!.ends_at) - Date.parse(b.event!.ends_at);
    });
}

/** An event as the scan screen names it: an ended one says so, and until when meetings there can still be recorded,
 * so nobody wonders why last night's meetup is offered. */
export function eventOnNowLabel(event: { title: string; ends_at: string; timezone: string }, now = Date.now()): string {
  const ends = Date.parse(event.ends_at);
  if (ends >= now) return event.title;
  return `${event.title} (ended; meetings there can be recorded until ${formatDateTime(new Date(ends + AFTER_THE_EVENT).toISOString(), event.timezone)})`;
}

/** A poster's self-check-in QR (`/p/{secret}`): the path to open instead of recording a meeting. */
export function posterPath(text: string): string | null {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    const found = /^(?:\/[^/]*)*\/p\/([A-Za-z0-9_-]{16,64})\/?$/.exec(url.pathname);
    return found ? `/p/${found[1]}` : null;
  } catch {
    return null;
  }
}

/** A code as printed under a badge's QR code, from what was typed: null when it cannot be one (8 characters of
 * Crockford's base32; O is 0, I and L are 1, as on the server). */
export function typedBadgeCode(typed: string): string | null {
  const code = typed.replace(/[\s-]+/g, "").toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? `${code.slice(0, 4)}-${code.slice(4)}` : null;
}

/** A refusal in a few words, for every reason the API document lists (the build fails otherwise). */
const REFUSAL_TITLES: Record<ExchangeReason, string> = {
  unknown_badge: "Not a badge",
  unknown_code: "No badge has this code",
  too_many_unknown_codes: "Too many unknown codes",
  own_badge: "That is your own badge",
  not_registered: "You are not confirmed there",
  registration_cancelled: "Registration cancelled",
  waitlisted: "On the waitlist",
  blocked: "Cannot connect",
  organizer_of_event: "You organize this event",
  event_cancelled: "Event cancelled",
  outside_window: "Not during the event",
  badge_replaced: "Badge replaced",
  nonce_reused: "Scan again",
};

export function refusalTitle(reason: ExchangeReason | null | undefined): string {
  return (reason && REFUSAL_TITLES[reason]) || "Not recorded";
}
