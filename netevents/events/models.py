"""Events and who organizes them."""

import enum
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.accounts.models import User
from netevents.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime

#: Check-in opens this long before the start unless the organizer sets a window.
DEFAULT_CHECKIN_LEAD = timedelta(hours=1)


def checkin_window(
    starts_at: datetime, ends_at: datetime, opens_at: datetime | None, closes_at: datetime | None
) -> tuple[datetime, datetime]:
    """When the door lets people in: the organizer's window, or from an hour before the start to the end."""
    return (opens_at or starts_at - DEFAULT_CHECKIN_LEAD, closes_at or ends_at)


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """`moment` as messages word it for people: the date and time where the event happens, and that zone
    ("05 Dec 2026 18:30 (Europe/Berlin)"), never an ISO timestamp in UTC."""
    return f"{moment.astimezone(zone):%d %b %Y %H:%M} ({zone.key})"


class EventKind(enum.StrEnum):
    meetup = "meetup"
    workshop = "workshop"
    webinar = "webinar"


class EventStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"


class OrganizerRole(enum.StrEnum):
    owner = "owner"
    co_organizer = "co_organizer"


class Event(TimestampMixin, Base):
    __tablename__ = "event"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, native_enum=False, length=20))
    status: Mapped[EventStatus] = mapped_column(
        Enum(EventStatus, native_enum=False, length=20), default=EventStatus.draft, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: IANA zone the event happens in; times are shown in it.
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    #: None means unlimited.
    capacity: Mapped[int | None]
    #: When full: waitlist new registrations (True) or refuse them (False).
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    #: Confirmed registrations; changed only by the registration service under the event's row lock.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    #: None means DEFAULT_CHECKIN_LEAD before the start / the end of the event.
    checkin_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checkin_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organizers: Mapped[list["EventOrganizer"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def checkin_window(self) -> tuple[datetime, datetime]:
        return checkin_window(self.starts_at, self.ends_at, self.checkin_opens_at, self.checkin_closes_at)

    @property
    def spots_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed_count, 0)

    @property
    def owner(self) -> User:
        return next(o.user for o in self.organizers if o.role == OrganizerRole.owner)


class EventOrganizer(Base):
    __tablename__ = "event_organizer"
    __table_args__ = (UniqueConstraint("event_id", "user_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[OrganizerRole] = mapped_column(Enum(OrganizerRole, native_enum=False, length=20))

    event: Mapped[Event] = relationship(back_populates="organizers")
    user: Mapped[User] = relationship(lazy="joined")
