// What each API error `reason` means to a person, in words they can act on.
// The server's `detail` is used instead where it carries specifics (a name, a time, a count),
// and as the fallback for any reason this table does not know yet.
import type { ScanReason } from "./types";

/** Why a scan was refused: every reason the API document lists has words, or the build fails. */
const SCAN_REASON_MESSAGES: Record<ScanReason, string> = {
  unknown_badge: "This QR code is not a badge we know. Ask for their name and look them up.",
  wrong_event: "This badge is for a different event.",
  already_checked_in: "Already checked in.",
  registration_cancelled: "This registration was cancelled.",
  waitlisted: "This person is on the waitlist, not confirmed yet.",
  outside_window: "Check-in is not open at this time.",
  station_revoked: "This station was revoked by an organizer. Ask them for a new pairing code.",
  not_checked_in: "This person is not checked in.",
  event_cancelled: "This event was cancelled.",
  badge_replaced: "This badge was replaced by a new one. Ask for the new badge, or look them up by name.",
  too_many_unknown_badges: "This QR code is not a badge we know, and this phone scanned many such codes just now. Ask for their name and look them up.",
  nonce_reused: "This was sent before for something else, so nothing was done. Try again.",
  // Self check-in at a venue poster: said to the attendee, on their own phone.
  unknown_poster: "This QR code is not a check-in poster we know. Show your badge at the door instead.",
  poster_replaced: "This poster was replaced by a new one. Scan the new poster at the entrance, or show your badge at the door.",
  poster_removed: "This poster no longer checks people in. Show your badge at the door.",
  not_registered: "You are not registered for this event with the account you are signed in with. Register on the event's page, or ask at the door.",
};

export const REASON_MESSAGES: Record<string, string> = {
  // Connection and generic HTTP problems
  network: "No connection to netevents. Check the Wi-Fi or mobile data, then try again.",
  timeout: "netevents is taking too long to answer. Check the connection and try again.",
  bad_request: "The request was not understood. Reload the page and try again.",
  unauthorized: "Please sign in again.",
  forbidden: "You are not allowed to do this.",
  not_found: "Not found. It may have been deleted, or the link is wrong.",
  method_not_allowed: "This action is not possible here.",
  not_acceptable: "This format is not available.",
  conflict: "This conflicts with something that changed meanwhile. Reload and try again.",
  body_too_large: "That is too large to send. Try a smaller file.",
  unsupported_media_type: "This kind of file is not accepted. Upload a CSV file.",
  invalid_input: "Some fields need fixing: see the messages next to them.",
  malformed_json: "The request was garbled on the way. Try again.",
  rate_limited: "Too many tries in a short time. Wait a minute and try again.",
  server_error: "Something went wrong on our side. Try again in a moment.",
  database_unavailable: "netevents is busy right now. Try again in a few seconds.",
  http_error: "Something went wrong. Try again.",
  // Accounts
  email_taken: "An account with this email already exists. Sign in, or ask for a sign-in link.",
  invalid_credentials: "Email or password is wrong. No password yet? Ask for a sign-in link by email.",
  invalid_magic_link: "This sign-in link was already used or has expired. Ask for a new one below.",
  wrong_password: "Your current password is not right.",
  owns_events: "You own events: delete them or hand them to a co-organizer first.",
  // Events
  ends_before_start: "The end must be after the start.",
  checkin_window_empty: "Check-in must close after it opens.",
  online_url_required: "A webinar needs its meeting link before it can be published.",
  venue_required: "Say where it happens (venue) before publishing.",
  invalid_status_change: "The event cannot change to that status.",
  has_registrations: "People have registered: cancel the event instead of unpublishing it.",
  capacity_below_registrations: "More people are already confirmed than this capacity.",
  event_published: "A published event cannot be deleted: cancel it first (attendees are told).",
  drafts_are_private: "Drafts are only listed for their organizers.",
  already_organizer: "This person already organizes this event.",
  cannot_remove_owner: "The event's owner cannot be removed.",
  owner_only: "Only the event's owner can do this; co-organizers edit and publish it, run its attendees and its door.",
  too_many_emails: "You have sent as many emails to other people as a day allows. Nothing was sent; try again later.",
  // Registrations (a cancelled event or registration: see the scan reasons)
  event_not_published: "This event is not open for registration yet.",
  event_over: "This event is over; registration is closed.",
  email_required: "Give the email address to send the badge to.",
  name_required: "Give the name to print on the badge.",
  already_registered: "This email is already registered for this event. Look for the confirmation email, or sign in to see your badge.",
  event_full: "This event is full and has no waitlist.",
  already_cancelled: "This registration is already cancelled.",
  invalid_csv: "The file has problems; nothing was imported. See the list of lines below.",
  // Door and check-in
  invalid_pairing_code: "This pairing code is wrong, used or expired. Ask an organizer for the station's current code.",
  event_id_required: "Say which event you are checking people in for.",
  not_undoable: "This scan cannot be undone.",
  station_only_scans: "This phone is paired as a door station, which can only scan. Sign in with your own account to do this.",
  station_token_needed: "This is for a paired door station: open /door on the door phone and pair it.",
  undo_not_allowed: "Only the station that made this scan, or an organizer, can undo it.",
  ...SCAN_REASON_MESSAGES,
};

/** Reasons whose server `detail` names the specifics (who, when, how many): show it as is. */
const DETAIL_IS_SPECIFIC = new Set([
  "already_registered", "capacity_below_registrations", "not_undoable", "undo_not_allowed", "invalid_status_change",
  "invalid_csv", "already_checked_in", "outside_window", "waitlisted", "not_checked_in", "body_too_large",
  "rate_limited", // what was limited, and in how many seconds to try again
  "owner_only", "too_many_emails",
]);

export function messageFor(reason: string | undefined, detail?: string): string {
  if (reason && detail && DETAIL_IS_SPECIFIC.has(reason)) return detail;
  return (reason && REASON_MESSAGES[reason]) || detail || REASON_MESSAGES.http_error;
}

/** A door refusal as the attendee hears it on their own phone, after scanning a venue poster (second person, and
 * what to do). Reasons not listed here read the same at the door and on the phone (SCAN_REASON_MESSAGES). */
const SELF_CHECKIN_MESSAGES: Partial<Record<ScanReason, string>> = {
  registration_cancelled: "Your registration for this event was cancelled. Register again on the event's page, or ask at the door.",
  waitlisted: "You are on the waitlist, not confirmed yet: we email you as soon as a spot opens. Ask at the door if you think this is wrong.",
  event_cancelled: "This event was cancelled by its organizers.",
  too_many_unknown_badges: "Something went wrong reading this poster. Show your badge at the door instead.",
  nonce_reused: "This was sent before for something else, so nothing was done. Scan the poster again.",
};

/** What to tell someone whose check-in at a poster was refused; `detail` is the server's message (it names the
 * time check-in opens or closed). */
export function selfCheckInMessage(reason: ScanReason, detail: string): string {
  if (reason === "outside_window") return `${detail} Come back then and scan the poster again.`;
  return SELF_CHECKIN_MESSAGES[reason] ?? SCAN_REASON_MESSAGES[reason] ?? detail;
}
