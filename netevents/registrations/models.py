"""Who registered for what, and their badge secret."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.accounts.models import User
from netevents.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow
from netevents.events.models import Event
from netevents.registrations.badge_codes import display_badge_code


class RegistrationStatus(enum.StrEnum):
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


class RegistrationSource(enum.StrEnum):
    online = "online"
    imported = "imported"
    walk_in = "walk_in"


class Registration(TimestampMixin, Base):
    __tablename__ = "registration"
    # One registration per person and event; cancelling and registering again reuses the row.
    # The door's badge list syncs by (event_id, updated_at); check-ins bump updated_at too.
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_registration_event_changes", "event_id", "updated_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(Enum(RegistrationStatus, native_enum=False, length=20))
    source: Mapped[RegistrationSource] = mapped_column(
        Enum(RegistrationSource, native_enum=False, length=20), default=RegistrationSource.online
    )
    #: As printed on the badge; a snapshot, so the organizer's list is stable.
    name: Mapped[str] = mapped_column(String(120))
    #: Lower-cased copy of the account's email, for the organizer's search and CSV.
    email: Mapped[str] = mapped_column(String(254), index=True)
    headline: Mapped[str] = mapped_column(String(160), default="")
    company: Mapped[str] = mapped_column(String(120), default="")
    #: Random (192 bits), in the badge QR as /b/{secret}. A credential like a ticket code: the badge
    #: must be re-rendered from it, so it is kept, and replaced when a badge is lost.
    badge_secret: Mapped[str] = mapped_column(String(64), unique=True)
    #: 8 characters of Crockford base32 under the QR code, typed when a camera will not read it
    #: (registrations/badge_codes.py); replaced with the secret.
    badge_code: Mapped[str] = mapped_column(String(8), unique=True, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Check-in state, changed only by the check-in service with conditional updates.
    #: When this person first came in (the device's scan time); None until then.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Where the first check-in happened (station name, "Organizer" or "Join link").
    checked_in_station: Mapped[str | None] = mapped_column(String(120))
    #: In the room now: true after an accepted entry, false after an accepted exit.
    inside: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(lazy="joined")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.cancelled

    @property
    def badge_path(self) -> str:
        return f"/b/{self.badge_secret}"

    @property
    def shown_badge_code(self) -> str | None:
        """The code as printed under the QR code ("7KQ4-M2XZ"); None once cancelled, like the badge."""
        return display_badge_code(self.badge_code) if self.is_active else None


class ReplacedBadge(Base):
    """A badge secret that was replaced (a lost badge rotated, a cancelled registration made again), so the door
    can say "this badge was replaced" instead of "unknown". Only its hash is kept: it opens nothing any more."""

    __tablename__ = "replaced_badge"

    #: SHA-256 of the old secret (hex, as `netevents.tokens.hash_token`).
    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
