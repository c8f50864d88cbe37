"""People and how they sign in."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netevents.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime, utcnow


class Visibility(enum.StrEnum):
    """Who may see one contact detail (netevents/people/visibility.py applies it on every surface)."""

    everyone = "everyone"  #: anyone at an event they attend, and their badge's public card
    connections = "connections"  #: only people they met (scanned badges with)
    nobody = "nobody"


class EmailCategory(enum.StrEnum):
    """Emails a person may turn off, each on its own (one-click unsubscribe or their profile). Sign-in links,
    confirmations and what they asked for are essential: they have no category and always go out."""

    #: After an event: the people you met there, or, if you could not come, what is next.
    follow_up = "follow_up"
    #: Weeks after an event: the people you met and have not followed up with yet.
    stay_connected = "stay_connected"


class ContactSharing(enum.StrEnum):
    """The one choice for email and links that came before `Visibility`, still accepted by the API."""

    public = "public"  #: = Visibility.everyone
    connections = "connections"
    nobody = "nobody"


#: The contact details a person shares one by one, each with a `<detail>_visibility` column.
CONTACT_DETAILS = ("email", "phone", "links", "company", "headline")

_LEGACY_DETAILS = ("email", "links")  # what contact_sharing covered
_LEGACY = {
    ContactSharing.public: Visibility.everyone,
    ContactSharing.connections: Visibility.connections,
    ContactSharing.nobody: Visibility.nobody,
}


def _visibility_column(default: Visibility) -> Mapped[Visibility]:
    return mapped_column(Enum(Visibility, native_enum=False, length=20), default=default)


class User(TimestampMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = NEVER_REUSE_IDS

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
    #: Free text as the person writes it ("+49 30 1234567"); empty when not given.
    phone: Mapped[str] = mapped_column(String(40), default="")
    # Who sees each contact detail (CONTACT_DETAILS); the name is always shown to people they have met.
    email_visibility: Mapped[Visibility] = _visibility_column(Visibility.connections)
    phone_visibility: Mapped[Visibility] = _visibility_column(Visibility.connections)
    links_visibility: Mapped[Visibility] = _visibility_column(Visibility.connections)
    #: Company and headline are printed on the badge, so shown to everyone unless the person says otherwise.
    company_visibility: Mapped[Visibility] = _visibility_column(Visibility.everyone)
    headline_visibility: Mapped[Visibility] = _visibility_column(Visibility.everyone)
    #: Listed in event directories only when true (opt-in).
    directory_opt_in: Mapped[bool] = mapped_column(default=False)
    #: The categories of email they turned off (a table of its own: user_account gains no columns).
    email_opt_outs: Mapped[list["EmailOptOut"]] = relationship(viewonly=True)

    @property
    def email_preferences(self) -> dict[str, bool]:
        """Whether they get each category of email, by category."""
        off = {opt_out.category for opt_out in self.email_opt_outs}
        return {category.value: category not in off for category in EmailCategory}

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def sharing(self) -> dict[str, Visibility]:
        """Each contact detail's visibility, by detail."""
        return {detail: getattr(self, f"{detail}_visibility") for detail in CONTACT_DETAILS}

    @sharing.setter
    def sharing(self, choices: dict[str, Visibility]) -> None:
        """Change the details named in `choices`; the others keep theirs."""
        for detail, visibility in choices.items():
            if detail not in CONTACT_DETAILS:
                raise ValueError(f"not a contact detail: {detail}")
            setattr(self, f"{detail}_visibility", visibility)

    @property
    def contact_sharing(self) -> ContactSharing:
        """The former single choice, read from the email's visibility."""
        visibility = self.email_visibility or Visibility.connections
        return next(legacy for legacy, new in _LEGACY.items() if new == visibility)

    @contact_sharing.setter
    def contact_sharing(self, choice: ContactSharing) -> None:
        """The former single choice: it sets what it covered, email and links."""
        self.sharing = dict.fromkeys(_LEGACY_DETAILS, _LEGACY[ContactSharing(choice)])


class AccessToken(Base):
    """A signed-in session. Only the SHA-256 of the bearer token is stored."""

    __tablename__ = "access_token"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class MagicLink(Base):
    """A one-time sign-in link. Single use: redeeming sets used_at with a conditional update."""

    __tablename__ = "magic_link"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: scrypt hash of the password chosen at sign-up: it becomes the account's when this link is redeemed, so a
    #: password is never set on an address by someone who cannot read its mail.
    password_hash: Mapped[str | None] = mapped_column(String(255))


class EmailOptOut(Base):
    """A person turned off one category of email. A row, not a flag: turning it off twice is one row."""

    __tablename__ = "email_opt_out"
    __table_args__ = (UniqueConstraint("user_id", "category"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    category: Mapped[EmailCategory] = mapped_column(Enum(EmailCategory, native_enum=False, length=40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
