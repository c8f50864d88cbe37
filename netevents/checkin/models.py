"""Door stations and the scan log."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.db import Base, UTCDateTime, utcnow
from netevents.events.models import Event


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


class Station(Base):
    """A phone paired to one event's door. It can only scan and look up that event's badges."""

    __tablename__ = "station"

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
    """Every scan, accepted or not: the event's scan log, and the memory that makes nonces idempotent."""

    __tablename__ = "scan"
    __table_args__ = (
        # The same device + nonce is one scan, however often it is sent.
        UniqueConstraint("actor", "nonce"),
        Index("ix_scan_event_received", "event_id", "received_at"),
        Index("ix_scan_registration", "registration_id", "result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id", ondelete="SET NULL"), index=True)
    #: The organizer who scanned or checked someone in by hand, when not a station.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: Who sent it: "station:12", "user:5" or "join:<registration id>"; nonces are unique per actor.
    actor: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[str] = mapped_column(String(64))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(Enum(Direction, native_enum=False, length=10))
    result: Mapped[ScanResult] = mapped_column(Enum(ScanResult, native_enum=False, length=10))
    reason: Mapped[str | None] = mapped_column(String(40))
    #: The device's clock when it scanned (offline scans keep it), and when the server got it.
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The answer given the first time, returned as-is when the nonce comes again.
    answer: Mapped[dict] = mapped_column(JSON)

    station: Mapped[Station | None] = relationship(lazy="raise")
