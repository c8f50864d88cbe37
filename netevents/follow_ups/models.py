"""One row per event and kind of follow-up: the claim that makes each email go out once, whoever runs the job."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime


class FollowUpKind(enum.StrEnum):
    #: Soon after the event: "people you met" to those who came, "sorry we missed you" to the no-shows.
    after_event = "after_event"
    #: Weeks later: the connections not followed up yet.
    stay_connected = "stay_connected"


class FollowUpRun(Base):
    """Queuing one kind of follow-up for one event: shared by the workers that run the job, resumable, done once.

    The unique (event, kind) makes one row: `INSERT ... ON CONFLICT DO NOTHING`, so of several processes one
    inserts it (PostgreSQL's other inserts wait for its commit, then do nothing). Workers then claim its
    registrations a chunk at a time, in registration-id order (FollowUpChunk); the run is finished when no
    registration is left outside a chunk and every chunk is finished. `claim`/`claimed_at`: the last worker that
    planned a chunk, and when.
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
    #: Registrations up to this id are in a chunk (FollowUpChunk): queued, or being queued by a worker.
    done_through: Mapped[int] = mapped_column(default=0)
    #: How many emails the run has queued so far.
    queued: Mapped[int] = mapped_column(default=0)
    #: How many people's emails could not be written (each a `FollowUpFailure`); the run went on without them.
    failed: Mapped[int] = mapped_column(default=0, server_default="0")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def state(self) -> str:
        """The run in words: "queuing", "finished" or "finished with 2 failures"."""
        if self.finished_at is None:
            return "queuing"
        if not self.failed:
            return "finished"
        return f"finished with {self.failed} failure{'' if self.failed == 1 else 's'}"


class FollowUpChunk(Base):
    """A range of one run's registrations, (after_id, through_id], queued by one worker at a time: several workers
    share an event's run by claiming chunks.

    A worker plans the next chunk while it holds the run's row (moving `FollowUpRun.done_through` past it) and
    claims it in the same short transaction. It queues the chunk's emails in one transaction that also marks the
    chunk finished, under the condition that `claim` is still its own. A chunk whose worker stopped renewing it
    for `LEASE` is claimed by another worker (a new `claim`), which queues it from the start: what the first one
    committed was its whole chunk or nothing.
    """

    __tablename__ = "follow_up_chunk"
    __table_args__ = (UniqueConstraint("run_id", "after_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("follow_up_run.id", ondelete="CASCADE"))
    #: The registrations with after_id < id <= through_id.
    after_id: Mapped[int]
    through_id: Mapped[int]
    claim: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FollowUpFailure(Base):
    """One person whose follow-up could not be written (a template or data error): recorded, and the run went on.

    Their email is not queued; the organizer sees who and why in the event's mail status. The reason is in words
    and names no other person (it is shown to the organizer and kept).
    """

    __tablename__ = "follow_up_failure"
    __table_args__ = (UniqueConstraint("run_id", "registration_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("follow_up_run.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
