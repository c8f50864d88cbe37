import { describe, expect, it } from "vitest";
import { messageFor, REASON_MESSAGES, selfCheckInMessage } from "./messages";

// Every `reason` the API can answer with today (netevents/errors.py, DomainError codes, scan reasons).
const API_REASONS = [
  "bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "not_acceptable", "conflict",
  "body_too_large", "unsupported_media_type", "invalid_input", "malformed_json", "rate_limited", "server_error",
  "database_unavailable", "http_error",
  "email_taken", "invalid_credentials", "invalid_magic_link", "wrong_password", "owns_events",
  "ends_before_start", "checkin_window_empty", "online_url_required", "venue_required", "invalid_status_change",
  "has_registrations", "capacity_below_registrations", "event_published", "drafts_are_private", "already_organizer",
  "cannot_remove_owner", "owner_only", "too_many_emails",
  "event_cancelled", "event_not_published", "event_over", "email_required", "name_required", "already_registered",
  "event_full", "already_cancelled", "registration_cancelled", "invalid_csv",
  "invalid_pairing_code", "station_revoked", "event_id_required", "not_undoable", "station_only_scans",
  "station_token_needed",
  "invalid_pairing_code", "station_revoked", "event_id_required", "not_undoable", "undo_not_allowed", "nonce_reused",
  "unknown_badge", "wrong_event", "already_checked_in", "waitlisted", "outside_window", "not_checked_in",
  "badge_replaced", "too_many_unknown_badges",
  "unknown_poster", "poster_replaced", "poster_removed", "not_registered",
];

describe("error messages", () => {
  it("has words for every reason the API gives", () => {
    const missing = API_REASONS.filter((reason) => !REASON_MESSAGES[reason]);
    expect(missing).toEqual([]);
  });

  it("uses the server's detail where it names the specifics, and for reasons it does not know", () => {
    expect(messageFor("already_checked_in", "Ada is already checked in: 18:42 at Door A.")).toBe("Ada is already checked in: 18:42 at Door A.");
    expect(messageFor("invalid_credentials", "Email or password is wrong.")).toBe(REASON_MESSAGES.invalid_credentials);
    expect(messageFor("brand_new_reason", "Something specific happened.")).toBe("Something specific happened.");
    expect(messageFor(undefined, undefined)).toBe(REASON_MESSAGES.http_error);
  });
});

describe("self check-in messages", () => {
  it("speak to the attendee, and say when to come back", () => {
    expect(selfCheckInMessage("outside_window", "Check-in opens at 18:00.")).toBe("Check-in opens at 18:00. Come back then and scan the poster again.");
    expect(selfCheckInMessage("waitlisted", "Ada is on the waitlist, not confirmed yet.")).toMatch(/^You are on the waitlist/);
    expect(selfCheckInMessage("poster_replaced", "")).toMatch(/new poster/);
  });
});
