import { describe, expect, it } from "vitest";
import { messageFor, REASON_MESSAGES } from "./messages";

// Every `reason` the API can answer with today (netevents/errors.py, DomainError codes, scan reasons).
const API_REASONS = [
  "bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "not_acceptable", "conflict",
  "body_too_large", "unsupported_media_type", "invalid_input", "malformed_json", "rate_limited", "server_error",
  "database_unavailable", "http_error",
  "email_taken", "invalid_credentials", "invalid_magic_link", "wrong_password", "owns_events",
  "ends_before_start", "checkin_window_empty", "online_url_required", "venue_required", "invalid_status_change",
  "has_registrations", "capacity_below_registrations", "event_published", "drafts_are_private", "already_organizer",
  "cannot_remove_owner",
  "event_cancelled", "event_not_published", "event_over", "email_required", "name_required", "already_registered",
  "event_full", "already_cancelled", "registration_cancelled", "invalid_csv",
  "invalid_pairing_code", "station_revoked", "event_id_required", "not_undoable", "station_only_scans",
  "station_token_needed",
  "unknown_badge", "wrong_event", "already_checked_in", "waitlisted", "outside_window", "not_checked_in",
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
