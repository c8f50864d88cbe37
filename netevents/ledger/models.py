"""One row per (actor, nonce): what a device did once, and the answer it was given."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow


class LedgerEntry(Base):
    """Something an actor did once, under the nonce its device chose: the first answer, kept for every repeat."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        # The same actor + nonce is one action, however often and however concurrently it is sent.
        UniqueConstraint("actor", "nonce"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who acted: "station:12", "user:5" (an organizer), "join:7" (a webinar link); nonces are unique per actor.
    actor: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[str] = mapped_column(String(64))
    #: What the first request under this nonce asked for, hashed (see `ledger.services.fingerprint`); a nonce
    #: sent again for something else is refused, not answered with this entry's answer.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    #: The answer given the first time, in its JSON form; empty only inside the transaction that claimed the nonce.
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
