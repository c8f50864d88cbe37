// Times: the API speaks ISO 8601 with offsets; people read them in the event's own time zone.

const LOCALE = "en-GB";

function parts(date: Date, timeZone?: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  return Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]));
}

/** Minutes to add to UTC to get the wall clock in `timeZone` at that instant. */
export function zoneOffsetMinutes(date: Date, timeZone: string): number {
  const p = parts(date, timeZone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "2026-05-01T18:00" read as a wall clock in `timeZone` -> "2026-05-01T18:00:00+02:00". */
export function zonedToIso(local: string, timeZone: string): string {
  const [datePart, timePart = "00:00"] = local.split("T");
  const [y, m, d] = datePart.split("-").map(Number);
  const [hh, mm] = timePart.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offset at the instant that wall clock names (checked twice around DST changes).
  let offset = zoneOffsetMinutes(new Date(wall), timeZone);
  offset = zoneOffsetMinutes(new Date(wall - offset * 60000), timeZone);
  return `${datePart}T${pad(hh)}:${pad(mm)}:00${offsetText(offset)}`;
}

/** An ISO instant -> "2026-05-01T18:00" on the wall clock of `timeZone` (for datetime-local inputs). */
export function isoToZoned(iso: string, timeZone: string): string {
  const p = parts(new Date(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Now, as ISO 8601 with this device's offset (what a scan's scanned_at carries). */
export function nowIso(date: Date = new Date()): string {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60000).toISOString().slice(0, 23);
  return `${local}${offsetText(offset)}`;
}

export function formatDateTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  }).format(new Date(iso));
}

export function formatTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALE, { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "18:42" when it is on the same day as `now` in `timeZone`, else "01 May 18:42": how the server words
 * times in its scan answers ("already checked in: 18:42 at Door A", "Check-in closed at 01 May 23:00").
 */
export function formatScanTime(iso: string, timeZone?: string, now: Date | string = new Date()): string {
  const at = parts(new Date(iso), timeZone);
  const today = parts(new Date(now), timeZone);
  const time = `${at.hour}:${at.minute}`;
  const sameDay = at.year === today.year && at.month === today.month && at.day === today.day;
  return sameDay ? time : `${at.day} ${MONTHS[+at.month - 1]} ${time}`;
}

/** "Thu 12 Mar, 18:00 – 21:00" (or both dates when it spans days), in the event's zone. */
export function formatEventTime(event: { starts_at: string; ends_at: string; timezone: string }): string {
  const start = formatDateTime(event.starts_at, event.timezone);
  const sameDay = isoToZoned(event.starts_at, event.timezone).slice(0, 10) === isoToZoned(event.ends_at, event.timezone).slice(0, 10);
  const end = sameDay ? formatTime(event.ends_at, event.timezone) : formatDateTime(event.ends_at, event.timezone);
  return `${start} – ${end}`;
}

/** The zone's short name at that time, e.g. "CEST", or the IANA name when there is none. */
export function zoneLabel(iso: string, timeZone: string): string {
  const name = new Intl.DateTimeFormat(LOCALE, { timeZone, timeZoneName: "short" })
    .formatToParts(new Date(iso)).find((part) => part.type === "timeZoneName")?.value;
  return name && !name.startsWith("GMT") ? name : timeZone;
}

/** This browser's time zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** A time at an event (a meeting, a scan) on the event's clock, as its pages show times: "Thu 3 Dec, 18:42",
 * with the zone's name when this browser is on another clock ("Thu 3 Dec, 18:42 CET"). `timeZone` null (the
 * event is gone): this browser's clock. */
export function formatAtEvent(iso: string, timeZone: string | null, here: string = browserZone()): string {
  const zone = timeZone ?? here;
  const text = formatDateTime(iso, zone);
  const at = new Date(iso);
  return zoneOffsetMinutes(at, zone) === zoneOffsetMinutes(at, here) ? text : `${text} ${zoneLabel(iso, zone)}`;
}

/** The date chip of an event: "Wed", "2", "Dec" on the event's own calendar. */
export function dateChip(iso: string, timeZone?: string): { weekday: string; day: string; month: string } {
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(LOCALE, { timeZone, ...options }).format(new Date(iso));
  return { weekday: format({ weekday: "short" }), day: format({ day: "numeric" }), month: format({ month: "short" }) };
}

/** Running right now: started, not over. */
export function isHappeningNow(event: { starts_at: string; ends_at: string }, now: Date = new Date()): boolean {
  return Date.parse(event.starts_at) <= now.getTime() && now.getTime() < Date.parse(event.ends_at);
}
