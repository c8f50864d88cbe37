"""People and how they sign in."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.db import Base, TimestampMixin, UTCDateTime, utcnow


class ContactSharing(enum.StrEnum):
    """Who may see a person's email and links."""

    public = "public"  #: anyone at an event they attend
    connections = "connections"  #: only people they met (scanned badges with)
    nobody = "nobody"


class User(TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: scrypt hash; None for attendees who only ever sign in by magic link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    headline: Mapped[str] = mapped_column(String(160), default="")
    company: Mapped[str] = mapped_column(String(120), default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentoring_offered: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentoring_sought: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: [{"label": "GitHub", "url": "https://..."}]
    links: Mapped[list[dict]] = mapped_column(JSON, default=list)
    contact_sharing: Mapped[ContactSharing] = mapped_column(
        Enum(ContactSharing, native_enum=False, length=20), default=ContactSharing.connections
    )
    #: Listed in event directories only when true (opt-in).
    directory_opt_in: Mapped[bool] = mapped_column(default=False)

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


class AccessToken(Base):
    """A signed-in session. Only the SHA-256 of the bearer token is stored."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class MagicLink(Base):
    """A one-time sign-in link. Single use: redeeming sets used_at with a conditional update."""

    __tablename__ = "magic_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
