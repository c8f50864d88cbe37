"""An event's bingo card, its rounds, and the squares signed in them."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow

#: Squares per row and column.
MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 3, 5, 3
DEFAULT_ROUND_MINUTES, MAX_ROUND_MINUTES = 10, 120
#: Enough for the largest card.
MAX_ACTIONS = MAX_SIZE * MAX_SIZE


class BingoSetup(Base):
    """How an event's next rounds are played, as its organizers configured it (rounds keep a copy)."""

    __tablename__ = "bingo_setup"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    #: The pool of exchange actions cards are drawn from, in the organizer's order (at least size x size).
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Squares per row and column: 3 to 5.
    size: Mapped[int]
    round_minutes: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BingoRound(Base):
    """One timed round: it runs from `started_at` until `ends_at` (moved to the moment an organizer ends it)."""

    __tablename__ = "bingo_round"
    __table_args__ = (Index("ix_bingo_round_event_started", "event_id", "started_at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: The setup's actions and size when the round started: changing the setup changes the next round only.
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int]
    #: Random; with a person's id it deals their card (netevents/bingo/cards.py), so cards need no rows.
    seed: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_early: Mapped[bool] = mapped_column(default=False)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class BingoSquare(Base):
    """A signed square of one person's card in one round: signed by the person they met, through an exchange.

    The unique constraints are the rules, so racing workers and a signal delivered twice cannot break them:
    one signature per square, one square per other person on a card, one square per exchange.
    """

    __tablename__ = "bingo_square"
    __table_args__ = (
        UniqueConstraint("round_id", "owner_id", "position"),
        UniqueConstraint("round_id", "owner_id", "signer_id"),
        UniqueConstraint("exchange_id"),
        CheckConstraint("owner_id <> signer_id", name="not_self"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("bingo_round.id", ondelete="CASCADE"))
    #: Whose card: the person who scanned (and tagged the exchange).
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: The square, row by row from the top left (0 to size x size - 1).
    position: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    #: The person met: whose badge was scanned. None once they deleted their account: the square stays signed
    #: (it is the card owner's achievement), by "a former attendee", with nothing of theirs left.
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    #: The meeting that signed it; None once it is gone with a deleted account (the signer's or the owner's).
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchange.id", ondelete="SET NULL"))
    #: The exchange's scan time (the phone's clock, kept by an offline queue): lines and bingos are timed by it.
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
