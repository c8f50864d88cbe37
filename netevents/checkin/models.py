"""Door stations, the venue's self check-in posters, and the scan log."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow
from netevents.events.models import Event
from netevents.ledger.models import LedgerEntry


class StationStatus(enum.StrEnum):
    unpaired = "unpaired"
    paired = "paired"
    revoked = "revoked"


class StationKind(enum.StrEnum):
    #: A phone at the door, paired with a one-time code; it scans badges.
    door = "door"
    #: A printed QR code at an entrance: attendees scan it with their own phone to check themselves in.
    poster = "poster"


class Direction(enum.StrEnum):
    entry = "entry"
    exit = "exit"


class ScanResult(enum.StrEnum):
    accepted = "accepted"
    rejected = "rejected"


class ScanReason(enum.StrEnum):
    """Why a scan was rejected. Stable codes: doors, integrations and the web app switch on them."""

    unknown_badge = "unknown_badge"
    wrong_event = "wrong_event"
    already_checked_in = "already_checked_in"
    registration_cancelled = "registration_cancelled"
    waitlisted = "waitlisted"
    outside_window = "outside_window"
    station_revoked = "station_revoked"
    not_checked_in = "not_checked_in"
    event_cancelled = "event_cancelled"
    #: A badge that was replaced by a new one (reported lost, or registered again).
    badge_replaced = "badge_replaced"
    #: A QR code naming no badge, from a device that has scanned too many of those in the last minute.
    too_many_unknown_badges = "too_many_unknown_badges"
    #: In a batch: a nonce this device already used for another scan (that scan keeps it; this one is not applied).
    nonce_reused = "nonce_reused"
    #: Self check-in: the QR code is not a poster we know.
    unknown_poster = "unknown_poster"
    #: Self check-in: an organizer replaced this poster by a new one; the old print no longer checks anyone in.
    poster_replaced = "poster_replaced"
    #: Self check-in: an organizer removed this poster.
    poster_removed = "poster_removed"
    #: Self check-in: the person is not registered for the poster's event.
    not_registered = "not_registered"


class Station(Base):
    """A phone paired to one event's door (it can only scan and look up that event's badges), or a poster at one
    of its entrances, whose QR code attendees scan to check themselves in. Both name the scans made through them in
    the scan log and in the counts."""

    __tablename__ = "station"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StationKind] = mapped_column(
        Enum(StationKind, native_enum=False, length=10), default=StationKind.door, server_default=StationKind.door.value
    )
    name: Mapped[str] = mapped_column(String(80))
    #: SHA-256 of the one-time pairing code; cleared when it is used.
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: SHA-256 of the station's bearer token, set by pairing.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A poster's: SHA-256 of the secret its QR code holds ({BASE_URL}/p/<secret>). Never a bearer token: a poster
    #: hangs on a wall, and its secret only lets a signed-in attendee check themselves in.
    poster_secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    #: For a poster: when it was removed (its QR code answers poster_removed from then on).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(lazy="raise")

    @property
    def status(self) -> StationStatus:
        """A poster is `paired` while it hangs (its secret checks people in), `revoked` once removed."""
        if self.revoked_at:
            return StationStatus.revoked
        return StationStatus.paired if self.token_hash or self.poster_secret_hash else StationStatus.unpaired


class ReplacedPoster(Base):
    """A poster's old secret, after the poster was replaced by a new print, so the old one's QR code answers
    "this poster was replaced" instead of "unknown". Only its hash is kept: it checks nobody in any more."""

    __tablename__ = "replaced_poster"

    #: SHA-256 of the old secret (hex, as `netevents.tokens.hash_token`).
    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Scan(Base):
    """Every scan, accepted or not: the event's scan log. Each is an entry of the ledger (netevents.ledger), which
    keeps its nonce and the answer it was given."""

    __tablename__ = "scan"
    __table_args__ = (
        Index("ix_scan_event_received", "event_id", "received_at"),
        Index("ix_scan_registration", "registration_id", "result"),
    )

    #: A scan's id is its ledger entry's, which holds who sent it, its nonce and the answer given.
    id: Mapped[int] = mapped_column(
        ForeignKey("ledger_entry.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id", ondelete="SET NULL"), index=True)
    #: The organizer who scanned or checked someone in by hand, when not a station.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(Enum(Direction, native_enum=False, length=10))
    result: Mapped[ScanResult] = mapped_column(Enum(ScanResult, native_enum=False, length=10))
    reason: Mapped[ScanReason | None] = mapped_column(Enum(ScanReason, native_enum=False, length=40))
    #: The device's clock when it scanned (offline scans keep it), and when the server got it.
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    station: Mapped[Station | None] = relationship(lazy="raise")
    ledger_entry: Mapped[LedgerEntry] = relationship(lazy="raise")
