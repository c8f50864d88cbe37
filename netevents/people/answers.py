"""What an exchange is answered, and how a connection looks to one of its two people (PRODUCT.md, "Meeting people")."""

import enum
from dataclasses import dataclass
from datetime import datetime

from netevents.people.visibility import PersonCard


class ExchangeResult(enum.StrEnum):
    recorded = "recorded"
    rejected = "rejected"


class ExchangeReason(enum.StrEnum):
    """Why an exchange was rejected. Stable codes: the web app and integrations switch on them."""

    unknown_badge = "unknown_badge"
    #: A typed badge code that names no badge.
    unknown_code = "unknown_code"
    #: A typed code naming no badge, from a person who typed too many such codes lately (people/code_budget.py).
    too_many_unknown_codes = "too_many_unknown_codes"
    own_badge = "own_badge"
    #: The scanner is not confirmed for the badge's event (never registered, cancelled or waitlisted).
    not_registered = "not_registered"
    #: The scanned badge's registration was cancelled.
    registration_cancelled = "registration_cancelled"
    #: The scanned badge is on the event's waitlist.
    waitlisted = "waitlisted"
    #: One of the two blocked the other (the message does not say who).
    blocked = "blocked"
    #: The scanner organizes the badge's event, so every badge of it is theirs to read (the attendee list, the badge
    #: sheet): holding one is no sign of having met its owner. The attendee scans the organizer's badge instead.
    organizer_of_event = "organizer_of_event"
    event_cancelled = "event_cancelled"
    #: Before the event's check-in opens, or more than a day after it ends.
    outside_window = "outside_window"
    #: The badge was replaced by a new one (its owner has the new one on their phone).
    badge_replaced = "badge_replaced"
    #: In a batch: the nonce was first sent for another badge (a single exchange gets 409 nonce_reused).
    nonce_reused = "nonce_reused"


#: The human message of each reason.
REFUSALS: dict[ExchangeReason, str] = {
    ExchangeReason.unknown_badge: "This QR code is not a badge we know. Ask them to open their badge again.",
    ExchangeReason.unknown_code: "No badge has this code. Check the 8 characters under their QR code and type them "
    "again.",
    ExchangeReason.too_many_unknown_codes: "No badge has this code, and you typed many such codes lately. Scan "
    "their QR code instead, or try a code again later.",
    ExchangeReason.own_badge: "That is your own badge. Scan the badge of the person you met.",
    ExchangeReason.badge_replaced: "This badge was replaced by a new one. Ask them to open their badge again.",
    ExchangeReason.not_registered: "You are not confirmed for this badge's event, so you cannot connect there.",
    ExchangeReason.registration_cancelled: "This badge's registration was cancelled.",
    ExchangeReason.waitlisted: "This badge is on the waitlist, not confirmed for the event yet.",
    ExchangeReason.blocked: "You cannot connect with this person.",
    ExchangeReason.organizer_of_event: "You organize this event, so you hold every badge of it: ask them to scan "
    "your badge instead (My events, then Show badge).",
    ExchangeReason.event_cancelled: "This event was cancelled.",
    ExchangeReason.outside_window: "Connections for this event open with its check-in and close a day after it ends.",
    ExchangeReason.nonce_reused: "Your phone already used this exchange's nonce for another badge; this one was not "
    "recorded. Scan the badge again.",
}

RECORDED_NEW = "You are connected."
#: Two people who met before, each keeping the connection (one may be scanning the other for the first time).
RECORDED_AGAIN = "Noted: this meeting is added to your connection."
#: The scanner had removed the connection, or a block had ended it, and the other person had not removed it.
RECORDED_RECONNECTED = "You are connected again."
#: The other person removed the connection (or a block ended it for both): it takes both scanning again.
RECORDED_WAITING = "Noted. You are connected again once they scan your badge too."


@dataclass(frozen=True, slots=True)
class Meeting:
    """One exchange of a connection, as one of its two people sees it."""

    id: int
    event_id: int | None
    event_title: str | None
    scanned_at: datetime
    #: True: I scanned their badge; False: they scanned mine.
    by_me: bool
    #: The actions I tagged it with; None for their scans (their tags are theirs).
    actions: tuple[str, ...] | None
    #: The event's time zone (IANA), in which its pages show times; None when the event is gone.
    event_timezone: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectionView:
    """A connection as one of its two people sees it: the other person's card as they share it with me now,
    every meeting, and my own tags, note and follow-up (the other side's are never shown)."""

    id: int
    other: PersonCard
    #: Both sides keep the connection (a removed side keeps only a past meeting).
    connected: bool
    #: I scanned their badge at least once / they scanned mine at least once.
    i_scanned: bool
    scanned_me: bool
    first_met_at: datetime
    last_met_at: datetime
    meetings: tuple[Meeting, ...]
    tags: tuple[str, ...]
    note: str
    followed_up: bool


@dataclass(frozen=True, slots=True)
class ConnectionEvent:
    """An event where I met people who are in my list of connections, and how many."""

    event_id: int
    title: str
    starts_at: datetime
    timezone: str
    #: People in my list I met there (each once, however often we met).
    connections: int
    #: Of those, the ones I marked followed up.
    followed_up: int
    last_met_at: datetime


@dataclass(frozen=True, slots=True)
class ExchangeAnswer:
    """The answer to one exchange. Stored in the ledger without `connection`, which is looked up afresh for
    every answer (a repeat included): what I see of someone follows their choices as they are now."""

    result: ExchangeResult
    message: str
    nonce: str
    scanned_at: datetime
    reason: ExchangeReason | None = None
    #: The exchange's id (a meeting of the connection), when recorded.
    id: int | None = None
    event_id: int | None = None
    connection_id: int | None = None
    #: This exchange made the connection (the pair had never met).
    new: bool = False
    connection: ConnectionView | None = None
