"""Door stations and the scan log."""

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


class Station(Base):
    """A phone paired to one event's door. It can only scan and look up that event's badges."""

    __tablename__ = "station"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    #: SHA-256 of the one-time pairing code; cleared when it is used.
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: SHA-256 of the station's bearer token, set by pairing.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(lazy="raise")

    @property
    def status(self) -> StationStatus:
        if self.revoked_at:
            return StationStatus.revoked
        return StationStatus.paired if self.token_hash else StationStatus.unpaired


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
