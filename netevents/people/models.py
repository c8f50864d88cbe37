"""Who met whom: one connection per pair of people, each side's own record of it, every meeting, and blocks."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow

#: The longest private note one person keeps on a connection (what they type, and the notes exchanges add up to).
CONNECTION_NOTE_LENGTH = 4000


class Connection(Base):
    """Two people who met, whoever scanned first: one row per unordered pair, by construction.

    The pair is stored in order (`low_id` < `high_id`) under a unique constraint, so two people scanning
    each other at the same instant both `INSERT ... ON CONFLICT DO NOTHING` the same row and then read it.
    """

    __tablename__ = "connection"
    __table_args__ = (
        UniqueConstraint("low_id", "high_id"),
        CheckConstraint("low_id < high_id", name="ordered_pair"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    low_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    high_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: When the first meeting was recorded.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConnectionSide(Base):
    """One person's own record of a connection: private to them (the other side never sees it).

    Removing a connection removes the remover's side: it leaves their list, their note and tags are erased,
    and while either side is removed neither person sees the other's connections-only details. The other
    side keeps what they wrote. A new scan by the remover restores their side; a scan by the other person
    does not (being scanned is not choosing to connect again). A block removes both sides (people/blocks.py).
    """

    __tablename__ = "connection_side"
    __table_args__ = (
        UniqueConstraint("connection_id", "user_id"),
        Index("ix_connection_side_user_other", "user_id", "other_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"))
    #: Whose side this is.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The person they met (the pair's other id, kept here so a person's list is one join).
    other_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: What happened, as this side tagged it: exchange actions and their own tags (see people/actions.py).
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Private to this side; exchange notes are appended to it.
    note: Mapped[str] = mapped_column(Text, default="")
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def followed_up(self) -> bool:
        return self.followed_up_at is not None


class Exchange(Base):
    """One meeting: a badge scanned in the room (event, time, who scanned whom). Its nonce is in the ledger."""

    __tablename__ = "exchange"
    __table_args__ = (Index("ix_exchange_event_scanned", "event_id", "scanned_at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connection.id", ondelete="CASCADE"), index=True)
    #: None once an organizer deleted the event; the meeting stays in both people's history.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    scanner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    scanned_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id", ondelete="CASCADE"), unique=True)
    #: The actions the scanner tagged this meeting with (bingo squares are signed by these).
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The scanner's clock at the scan (an offline queue keeps it), and when the server got it.
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Block(Base):
    """`blocker` blocked `blocked`: the two are hidden from each other everywhere and cannot exchange."""

    __tablename__ = "block"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id"),
        CheckConstraint("blocker_id <> blocked_id", name="not_self"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventExchangeActions(Base):
    """An event's own exchange actions, beside the standard ones (people/actions.py)."""

    __tablename__ = "event_exchange_actions"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    #: Short slugs such as "pair_programmed", in the order the organizer gave them.
    custom: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The organizer's words for some of them, by slug ("talked_ai": "Talked AI"); one without words is spelled
    #: out by the screens (actions made before words were kept have none).
    labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UserTopic(Base):
    """One topic of a person's profile lists, lower-cased: the lists of `user_account` (topics, mentoring offered and
    sought) as rows, so that the directory's mentoring filters and the suggestions find people sharing a topic in an
    index instead of reading every listed person's JSON.

    Written only by the database: triggers on `user_account` (migration a8c3e5f17b42) rewrite a person's rows
    whenever their lists change, bulk inserts included; deleting the person deletes them.
    """

    __tablename__ = "user_topic"
    __table_args__ = (Index("ix_user_topic_kind_topic", "kind", "topic", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    #: Which list: "topic" (topics), "offers" (mentoring offered) or "seeks" (mentoring sought).
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: lower(topic), as the database lower-cases (ASCII letters only on SQLite).
    topic: Mapped[str] = mapped_column(Text, primary_key=True)
