"""What a scan is answered: the result, a machine reason and a human message (PRODUCT.md, "Check-in, precisely")."""

from dataclasses import dataclass
from datetime import datetime

from netevents.checkin.models import Direction, ScanReason, ScanResult

#: The human message of each reason; `{name}` is the attendee's. Some reasons say more (when, where).
REFUSALS: dict[ScanReason, str] = {
    ScanReason.unknown_badge: "This QR code is not a badge we know. Ask for their name and look them up.",
    ScanReason.wrong_event: "This badge is for a different event.",
    ScanReason.registration_cancelled: "This registration was cancelled.",
    ScanReason.waitlisted: "{name} is on the waitlist, not confirmed yet.",
    ScanReason.event_cancelled: "This event was cancelled.",
    ScanReason.station_revoked: "This station was revoked; ask an organizer for a new pairing code.",
    ScanReason.not_checked_in: "{name} is not checked in.",
    ScanReason.badge_replaced: "This badge was replaced by a new one. Ask {name} for the new badge, or look them up by "
    "name.",
    ScanReason.too_many_unknown_badges: "This QR code is not a badge we know, and this phone scanned many such codes "
    "in the last minute. Ask for their name and look them up.",
    ScanReason.nonce_reused: "This phone already used this scan's nonce for another scan; this one was not applied. "
    "Scan the badge again.",
    ScanReason.unknown_poster: "This QR code is not a check-in poster we know. Show your badge at the door instead.",
    ScanReason.poster_replaced: "This poster was replaced by a new one. Scan the new poster at the entrance, or show "
    "your badge at the door.",
    ScanReason.poster_removed: "This poster no longer checks people in. Show your badge at the door.",
    ScanReason.not_registered: "You are not registered for this event with the account you are signed in with. "
    "Register on the event's page, or ask at the door.",
}


@dataclass(frozen=True, slots=True)
class AttendeeCard:
    """Who the badge belongs to, as the door shows them."""

    name: str
    headline: str
    company: str


@dataclass(frozen=True, slots=True)
class FirstCheckin:
    """When and where someone already inside first came in; `at` in the event's time zone."""

    at: datetime
    station_name: str | None


@dataclass(frozen=True, slots=True)
class ScanAnswer:
    """The answer to one scan; stored in the ledger and given again, as it was, for a repeated nonce."""

    result: ScanResult
    message: str
    nonce: str
    direction: Direction
    scanned_at: datetime
    reason: ScanReason | None = None
    #: The scan's id in the event's scan log (for undo).
    id: int | None = None
    registration_id: int | None = None
    attendee: AttendeeCard | None = None
    first_checkin: FirstCheckin | None = None
    undone: bool = False
    #: The device's clock was too far ahead (ledger.MAX_CLOCK_SKEW): `scanned_at` is when the scan arrived.
    clock_skew: bool = False
