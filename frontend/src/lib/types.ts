// Shapes of the API's answers that the web app reads (see /api/v1/openapi.json).

export type EventKind = "meetup" | "workshop" | "webinar";
export type EventStatus = "draft" | "published" | "cancelled";
export type RegistrationStatus = "confirmed" | "waitlisted" | "cancelled";

export interface EventSummary {
  id: number;
  title: string;
  kind: EventKind;
  status: EventStatus;
  starts_at: string;
  ends_at: string;
  timezone: string;
  venue: string;
  /** The check-in window in effect (the default one unless the organizer set it). */
  checkin_opens_at: string;
  checkin_closes_at: string;
}

export interface NetEvent extends EventSummary {
  description: string;
  capacity: number | null;
  waitlist_enabled: boolean;
  spots_left: number | null;
  confirmed_count: number;
  organizers: { user_id: number; name: string; role: string }[];
  viewer_is_organizer: boolean;
  online_url: string | null;
}

export interface Link { label: string; url: string }

export interface Registration {
  id: number;
  event_id: number;
  event: EventSummary;
  status: RegistrationStatus;
  source: string;
  name: string;
  email: string;
  headline: string;
  company: string;
  waitlist_position: number | null;
  badge_url: string | null;
  created_at: string;
  cancelled_at: string | null;
  promoted_at: string | null;
  /** First arrival; null until then. */
  checked_in_at: string | null;
  /** Where they first came in (a station's name, or "Organizer {name}" for a manual check-in). */
  checked_in_station: string | null;
  /** In the room now (checked in and not scanned out). */
  inside: boolean;
}

export interface Profile {
  id: number;
  email: string;
  name: string;
  headline: string;
  company: string;
}

export interface TokenAnswer { token: string; user: Profile }

export interface BadgeCard {
  name: string;
  headline: string;
  company: string;
  topics: string[];
  event: EventSummary;
  status: RegistrationStatus;
  contact: { email?: string; links?: Link[] } | null;
  qr_svg_url: string;
}

export type ScanReason =
  | "unknown_badge" | "wrong_event" | "already_checked_in" | "registration_cancelled" | "waitlisted"
  | "outside_window" | "station_revoked" | "not_checked_in" | "event_cancelled";

export interface ScanAnswer {
  id: number | null;
  result: "accepted" | "rejected";
  reason: ScanReason | null;
  message: string;
  direction: "entry" | "exit";
  nonce: string;
  scanned_at: string;
  registration_id: number | null;
  attendee: { name: string; headline: string; company: string } | null;
  first_checkin: { at: string; station_name: string | null } | null;
  undone: boolean;
}

export interface Station {
  id: number;
  event_id: number;
  name: string;
  status: "unpaired" | "paired" | "revoked";
  pairing_code: string | null;
  pairing_url: string | null;
  pairing_qr_svg: string | null;
  pairing_expires_at: string | null;
  paired_at: string | null;
  revoked_at: string | null;
  last_scan_at: string | null;
  accepted_count: number;
  rejected_count: number;
}

export interface Attendance {
  event_id: number;
  registered: number;
  waitlisted: number;
  cancelled: number;
  checked_in: number;
  inside_now: number;
  no_shows: number;
  stations: { station_id: number; name: string; status: string; accepted: number; rejected: number; last_scan_at: string | null }[];
  arrivals: { at: string; count: number }[];
  generated_at: string;
}

export interface ScanLogEntry {
  id: number;
  station_id: number | null;
  station_name: string | null;
  by: string;
  registration_id: number | null;
  attendee_name: string | null;
  direction: string;
  result: "accepted" | "rejected";
  reason: string | null;
  message: string | null;
  scanned_at: string;
  received_at: string;
  undone_at: string | null;
}
