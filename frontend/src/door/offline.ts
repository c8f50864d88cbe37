// The door's own judgement when the server cannot be asked: the same rules as the server's
// check-in service, applied to the downloaded badge list. Pure functions, unit-tested.
import type { Direction, RegistrationStatus, ScanAnswer, ScanReason } from "../lib/types";
import { formatScanTime } from "../lib/time";

/**
 * One badge in the door's offline list (GET /station/badges), plus what this door did to it. The door's
 * own record, kept in IndexedDB across app versions (an older one may lack `checked_in_station`).
 */
export interface BadgeEntry {
  registration_id: number;
  secret_hash: string;
  name: string;
  headline: string;
  company: string;
  status: RegistrationStatus;
  checked_in_at: string | null;
  inside: boolean;
  /** Where they first came in (the server's list says; this door's own scans too). */
  checked_in_station?: string | null;
}

/** What the door knows besides the badge. */
export interface ScanContext {
  /** The event's time zone, for the times in messages. */
  timeZone?: string;
  /** When the scan happened (the device's clock, ISO 8601); now when not given. */
  scannedAt?: string;
  /** The event's check-in window (ISO 8601 with offset); no window rule when unknown. */
  opensAt?: string | null;
  closesAt?: string | null;
}

/** Outside the check-in window (both ends count as inside, as on the server): the words saying when. */
function outsideWindow(context: ScanContext & { scannedAt: string }): string | null {
  const { opensAt, closesAt, scannedAt, timeZone } = context;
  const at = Date.parse(scannedAt);
  if (opensAt && at < Date.parse(opensAt)) return `Check-in opens at ${formatScanTime(opensAt, timeZone, scannedAt)}.`;
  if (closesAt && at > Date.parse(closesAt)) return `Check-in closed at ${formatScanTime(closesAt, timeZone, scannedAt)}.`;
  return null;
}

export type { Direction };

/** What the door shows: the server's answer, or its own decision while offline. */
export type Decision = Pick<ScanAnswer, "result" | "reason" | "message" | "attendee" | "first_checkin" | "registration_id">;

const SECRET = /^[A-Za-z0-9_-]{16,64}$/;
/** /b/{secret}, after any prefix path (a deployment below the site's root). Any address: as on the server. */
const BADGE_PATH = /^(?:\/[^/]*)*\/b\/([A-Za-z0-9_-]{16,64})\/?$/;

/** The badge secret in a scanned QR: a badge URL (`{BASE}/b/{secret}`, whatever BASE was when it was printed) or a bare secret. */
export function badgeSecretFromQr(text: string): string | null {
  const trimmed = text.trim();
  if (SECRET.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return BADGE_PATH.exec(url.pathname)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The pairing code in a scanned pairing QR (`{BASE}/door#pair=CODE`) or typed by hand. */
export function pairingCodeFrom(text: string): string | null {
  const trimmed = text.trim();
  const fromUrl = /[#&?]pair=([A-Za-z0-9-]+)/.exec(trimmed);
  if (fromUrl) return fromUrl[1];
  return /^[A-Za-z0-9 -]{6,40}$/.test(trimmed) ? trimmed.toUpperCase() : null;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A fresh nonce per scan (every scanner's queue makes them the same way). */
export { newNonce } from "../lib/offlineQueue";

function rejected(reason: ScanReason, message: string, badge?: BadgeEntry, first: Decision["first_checkin"] = null): Decision {
  return {
    result: "rejected", reason, message, first_checkin: first,
    attendee: badge ? { name: badge.name, headline: badge.headline, company: badge.company } : null,
    registration_id: badge?.registration_id ?? null,
  };
}

/** Decide a scan from the offline badge list, as the server would. */
export function decideOffline(badge: BadgeEntry | undefined, direction: Direction, context: ScanContext = {}): Decision {
  const { timeZone, scannedAt = new Date().toISOString() } = context;
  if (!badge) return rejected("unknown_badge", "Not in this door's badge list. Ask for their name and look them up.");
  if (badge.status === "cancelled") return rejected("registration_cancelled", "This registration was cancelled.", badge);
  if (badge.status === "waitlisted") return rejected("waitlisted", `${badge.name} is on the waitlist, not confirmed yet.`, badge);
  const closed = outsideWindow({ ...context, scannedAt });
  if (closed) return rejected("outside_window", closed, badge);
  if (direction === "exit") {
    if (!badge.inside) return rejected("not_checked_in", `${badge.name} is not checked in.`, badge);
    return accepted(badge, `Goodbye, ${badge.name}. See you soon!`);
  }
  if (badge.inside) {
    const at = badge.checked_in_at;
    const where = badge.checked_in_station ? ` at ${badge.checked_in_station}` : "";
    const when = at ? `: ${formatScanTime(at, timeZone, scannedAt)}${where}` : "";
    return rejected("already_checked_in", `${badge.name} is already checked in${when}.`, badge,
      at ? { at, station_name: badge.checked_in_station ?? null } : null);
  }
  return accepted(badge, `Welcome, ${badge.name}!`);
}

function accepted(badge: BadgeEntry, message: string): Decision {
  return {
    result: "accepted", reason: null, message, first_checkin: null, registration_id: badge.registration_id,
    attendee: { name: badge.name, headline: badge.headline, company: badge.company },
  };
}

/** The badge's state after an accepted scan (entry or exit) at this station. */
export function afterAccepted(badge: BadgeEntry, direction: Direction, scannedAt: string, station: string): BadgeEntry {
  if (direction === "exit") return { ...badge, inside: false };
  const first = badge.checked_in_at === null;
  return {
    ...badge, inside: true,
    checked_in_at: first ? scannedAt : badge.checked_in_at,
    checked_in_station: first ? station : badge.checked_in_station,
  };
}

/**
 * Stops one badge held in front of the camera from being scanned again and again:
 * the same text counts again only after it has been out of sight for `quietMs`.
 */
export class RepeatFilter {
  private last: { text: string; seenAt: number } | null = null;

  constructor(private readonly quietMs = 2000) {}

  accept(text: string, now: number): boolean {
    const repeat = this.last !== null && this.last.text === text && now - this.last.seenAt < this.quietMs;
    this.last = { text, seenAt: now };
    return !repeat;
  }

  reset(): void {
    this.last = null;
  }
}

/** A refusal in two or three words, for every reason the API document lists (the build fails otherwise). */
const REFUSAL_TITLES: Record<ScanReason, string> = {
  unknown_badge: "Unknown badge",
  wrong_event: "Wrong event",
  already_checked_in: "Already inside",
  registration_cancelled: "Registration cancelled",
  waitlisted: "On the waitlist",
  outside_window: "Check-in not open",
  station_revoked: "Station revoked",
  not_checked_in: "Not checked in",
  event_cancelled: "Event cancelled",
  badge_replaced: "Badge replaced",
  too_many_unknown_badges: "Unknown badge",
  nonce_reused: "Scan again",
  // Self check-in at a poster only: the door never hears these.
  unknown_poster: "Unknown poster",
  poster_replaced: "Poster replaced",
  poster_removed: "Poster removed",
  not_registered: "Not registered",
};

/** Title words for the result screen: what happened, in two or three words. */
export function resultTitle(decision: Pick<Decision, "result" | "reason">, direction: Direction = "entry"): string {
  if (decision.result === "accepted") return direction === "exit" ? "Goodbye" : "Welcome";
  // A reason newer than this build still gets a title.
  return REFUSAL_TITLES[decision.reason ?? "unknown_badge"] ?? "Not accepted";
}

/** Green, amber or red. A badge scanned again by someone already inside is harmless (they showed it twice):
 * neither a welcome nor a refusal, so it gets a colour and a sound of its own. */
export type ResultKind = "accepted" | "repeat" | "refused";

export function resultKind(decision: Pick<Decision, "result" | "reason">): ResultKind {
  if (decision.result === "accepted") return "accepted";
  return decision.reason === "already_checked_in" ? "repeat" : "refused";
}

/** The door's "last scan" line after the name, true to what happened: "checked in at 18:40",
 * "already inside since 18:42 (Door A)", "not let in: on the waitlist". */
export function lastScanText(decision: Decision, direction: Direction, scannedAt: string, timeZone?: string): string {
  const at = (iso: string) => formatScanTime(iso, timeZone, scannedAt);
  const kind = resultKind(decision);
  if (kind === "accepted") return direction === "exit" ? `left at ${at(scannedAt)}` : `checked in at ${at(scannedAt)}`;
  if (kind === "repeat") {
    const first = decision.first_checkin;
    if (!first) return "already inside";
    return `already inside since ${at(first.at)}${first.station_name ? ` (${first.station_name})` : ""}`;
  }
  return `not let in: ${resultTitle(decision, direction).toLowerCase()}`;
}
