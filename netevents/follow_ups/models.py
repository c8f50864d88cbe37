"""One row per event and kind of follow-up: the claim that makes each email go out once, whoever runs the job."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime


class FollowUpKind(enum.StrEnum):
    #: Soon after the event: "people you met" to those who came, "sorry we missed you" to the no-shows.
    after_event = "after_event"
    #: Weeks later: the connections not followed up yet.
    stay_connected = "stay_connected"


class FollowUpRun(Base):
    """Queuing one kind of follow-up for one event: claimed by one process at a time, resumable, done once.

    The unique (event, kind) makes the claim: `INSERT ... ON CONFLICT DO NOTHING`, so of several processes one
    inserts it (PostgreSQL's other inserts wait for its commit, then do nothing). The holder queues the emails in
    registration-id order, a chunk per transaction, and moves `done_through` in the same transaction under the
    condition that `claim` is still its own: a process that dies leaves the run at its last commit, and after
    `LEASE` another one takes it over (a new `claim`) and goes on from there, while the first can commit nothing
    more.
    """

    __tablename__ = "follow_up_run"
    __table_args__ = (UniqueConstraint("event_id", "kind"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    kind: Mapped[FollowUpKind] = mapped_column(Enum(FollowUpKind, native_enum=False, length=20))
    #: A random value of the process holding the run; only it may move the run on.
    claim: Mapped[str] = mapped_column(String(32))
    #: When the holder last showed it is alive (each chunk renews it).
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Registrations up to this id were dealt with (their email queued, or none due).
    done_through: Mapped[int] = mapped_column(default=0)
    #: How many emails the run has queued so far.
    queued: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
