"""Delivery of the outbox by workers: claim a batch of due emails, hand them over, record each outcome.

Any number of workers on any number of hosts share the outbox. A worker claims a batch in one short transaction:
on PostgreSQL the due rows are locked with SELECT ... FOR UPDATE SKIP LOCKED, so two workers never claim one row
and neither waits for the other; on SQLite every writing transaction holds the database's write lock, so the
claim is serial anyway. The claim marks the rows `sending` with the worker's name and a lease: a worker that
dies leaves them claimed until the lease ends, then they are due again. Each email's outcome is committed as
soon as it is known, so a worker told to stop finishes the email in hand, gives the rest back and sends
nothing twice. No transaction is open while a mail server is talked to.

A failure that may pass (a 4xx answer, an unreachable server) is tried again after 1, 2, 4... times
MAIL_RETRY_SECONDS, up to MAIL_MAX_ATTEMPTS attempts; a 5xx answer fails the email at once. Either way the
server's answer is kept in `last_error`.
"""

import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, or_, select, update

from netevents.db import table_of, utcnow
from netevents.extensions import db
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.mail.transports import DeliveryFailure, Transport, transport_from_config

log = logging.getLogger(__name__)

_outbox = table_of(OutgoingEmail)

#: The longest wait between two attempts, however many attempts came before.
LONGEST_RETRY = timedelta(hours=6)


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    #: Failed for now, queued for a later attempt.
    retrying: int = 0
    failed: int = 0
    #: Claimed and given back unsent (the worker was told to stop, or the server went away).
    released: int = 0
    #: Why the pass stopped early, if it did ("the mail server ... is unreachable").
    stopped_because: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.sent + self.retrying + self.failed

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        line = f"{self.sent} sent, {self.retrying} to be tried again, {self.failed} failed in {self.seconds:.1f} s"
        return line + (f"; stopped: {self.stopped_because}" if self.stopped_because else "")


@dataclass(frozen=True)
class _Claimed:
    id: int
    to_address: str
    message: bytes
    attempts: int


def _due(now: datetime) -> ColumnElement[bool]:
    """Queued and due, or claimed by a worker whose lease has run out."""
    return or_(
        and_(
            OutgoingEmail.status == MailStatus.queued,
            or_(OutgoingEmail.next_attempt_at.is_(None), OutgoingEmail.next_attempt_at <= now),
        ),
        and_(OutgoingEmail.status == MailStatus.sending, OutgoingEmail.lease_expires_at < now),
    )


def count_due() -> int:
    """How many emails a worker could claim now."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(OutgoingEmail).where(_due(utcnow()))) or 0


def worker_name() -> str:
    """This process, as a claim names it: "host:pid"."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def claim_batch(
    connection: Connection, size: int, lease: timedelta, due_by: datetime | None = None
) -> tuple[str, list[_Claimed]]:
    """Claim up to `size` emails due by `due_by` (now) for this worker until `lease` from now; returns the claim
    and the emails."""
    claim = f"{worker_name()}:{uuid.uuid4().hex[:12]}"
    now = utcnow()
    due_by = due_by or now
    with connection.begin():
        ids = connection.scalars(
            select(OutgoingEmail.id)
            .where(_due(due_by))
            .order_by(OutgoingEmail.id)
            .limit(size)
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            return claim, []
        connection.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.id.in_(ids), _due(due_by))
            .values(status=MailStatus.sending, claimed_by=claim, lease_expires_at=now + lease)
        )
        rows = connection.execute(
            select(OutgoingEmail.id, OutgoingEmail.to_address, OutgoingEmail.message, OutgoingEmail.attempts)
            .where(OutgoingEmail.claimed_by == claim)
            .order_by(OutgoingEmail.id)
        ).all()
    return claim, [_Claimed(row.id, row.to_address, row.message, row.attempts) for row in rows]


class _Outcomes:
    """The outcomes of a claim's emails, written a few at a time: each commit waits for the disk (SQLite flushes
    its log, PostgreSQL its WAL), and one per email would be most of a worker's time. A worker that is killed
    outright (not stopped: SIGKILL, a power cut) may so send up to RECORD_EVERY emails again after its lease."""

    #: Outcomes written together, at most; and at most this many seconds after the first of them.
    RECORD_EVERY = 20
    RECORD_WITHIN = 1.0

    def __init__(self, connection: Connection, claim: str):
        self.connection = connection
        self.claim = claim
        self.pending: list[tuple[int, dict[str, object]]] = []
        self.oldest = 0.0

    def add(self, email_id: int, **values: object) -> None:
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append((email_id, values))
        if len(self.pending) >= self.RECORD_EVERY or time.monotonic() - self.oldest > self.RECORD_WITHIN:
            self.write()

    def write(self) -> None:
        """Write what is pending, each only if the email is still ours (a lapsed lease lets another worker in): one
        statement for the outcomes of a kind (sent; to be tried again; failed), run for each of their emails."""
        if not self.pending:
            return
        kinds: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
        for email_id, values in self.pending:
            kinds[tuple(sorted(values))].append({"email_id": email_id, **{f"new_{k}": v for k, v in values.items()}})
        with self.connection.begin():
            for columns, rows in kinds.items():
                self.connection.execute(
                    update(_outbox)
                    .where(_outbox.c.id == bindparam("email_id"), _outbox.c.claimed_by == self.claim)
                    .values(claimed_by=None, lease_expires_at=None, **{k: bindparam(f"new_{k}") for k in columns}),
                    rows,
                )
        self.pending.clear()


def release(
    connection: Connection, claim: str, *, next_attempt_at: datetime | None = None, reason: str | None = None
) -> int:
    """Give back what is still claimed under `claim`, unsent and with no attempt counted."""
    values: dict[str, object] = {"status": MailStatus.queued, "claimed_by": None, "lease_expires_at": None}
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    if reason is not None:
        values["last_error"] = reason
    with connection.begin():
        return connection.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.claimed_by == claim, OutgoingEmail.status == MailStatus.sending)
            .values(**values)
        ).rowcount


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2 x base, 4 x base..., at most LONGEST_RETRY."""
    return min(timedelta(seconds=base_seconds * 2 ** min(attempts - 1, 30)), LONGEST_RETRY)


def _failed(email: _Claimed, failure: DeliveryFailure, outcomes: _Outcomes, report: DeliveryReport) -> None:
    config = current_app.config
    attempts = email.attempts + 1
    if failure.permanent or attempts >= config["MAIL_MAX_ATTEMPTS"]:
        reason = failure.reason if failure.permanent else f"Gave up after {attempts} attempts. {failure.reason}"
        outcomes.add(email.id, status=MailStatus.failed, attempts=attempts, last_error=reason[:2000])
        report.failed += 1
        log.warning("mail %s to be failed: %s", email.id, reason)
        return
    retry_at = utcnow() + retry_delay(attempts, config["MAIL_RETRY_SECONDS"])
    reason = f"Attempt {attempts} of {config['MAIL_MAX_ATTEMPTS']} failed; trying again after {retry_at:%H:%M:%S} UTC. "
    outcomes.add(
        email.id,
        status=MailStatus.queued,
        attempts=attempts,
        next_attempt_at=retry_at,
        last_error=(reason + failure.reason)[:2000],
    )
    report.retrying += 1
    log.info("mail %s not delivered yet: %s", email.id, failure.reason)


def deliver_due(
    *,
    limit: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_progress: Callable[[DeliveryReport], None] | None = None,
    transport: Transport | None = None,
) -> DeliveryReport:
    """Deliver the emails that are due, batch after batch, until none is left (or `limit` were tried, or
    `should_stop()` says so: then the email in hand is finished and the rest given back).

    `on_progress` is called after each email with the report so far. The transport is the configured one
    (NETEVENTS_SMTP_HOST, or the Maildir) unless one is given.
    """
    config = current_app.config
    report = DeliveryReport()
    lease = timedelta(seconds=config["MAIL_LEASE_SECONDS"])
    # Stop sending from a claim this long before its lease ends: a slow server cannot make two workers send one
    # email (the rest of the batch is given back and claimed again).
    margin = timedelta(seconds=min(2 * config["SMTP_TIMEOUT_SECONDS"], lease.total_seconds() / 2))
    transport = transport or transport_from_config(config)
    # What is due when the pass starts: an email that fails in it is not tried again before the next pass.
    due_by = utcnow()
    with db.engine.connect() as connection, transport:
        while limit is None or report.done < limit:
            size = config["MAIL_BATCH_SIZE"] if limit is None else min(config["MAIL_BATCH_SIZE"], limit - report.done)
            if should_stop():
                break
            claim, batch = claim_batch(connection, size, lease, due_by)
            if not batch:
                break
            claimed_at = utcnow()
            outcomes = _Outcomes(connection, claim)
            for email in batch:
                if should_stop() or utcnow() > claimed_at + lease - margin:
                    break
                try:
                    transport.send(email.to_address, email.message)
                except DeliveryFailure as failure:
                    _failed(email, failure, outcomes, report)
                    if failure.unreachable:
                        report.stopped_because = failure.reason
                        break
                except Exception as error:  # a message the library cannot send: it must not stop the others
                    log.exception("mail %s could not be sent", email.id)
                    _failed(email, DeliveryFailure(f"Could not send it: {error!r}"), outcomes, report)
                else:
                    outcomes.add(
                        email.id,
                        status=MailStatus.sent,
                        attempts=email.attempts + 1,
                        sent_at=utcnow(),
                        next_attempt_at=None,
                        last_error=None,
                    )
                    report.sent += 1
                if on_progress is not None:
                    on_progress(report)
            outcomes.write()
            if report.stopped_because:
                # Nothing else can go now: the rest waits as long as the email that failed, no attempt counted.
                retry_at = utcnow() + retry_delay(1, config["MAIL_RETRY_SECONDS"])
                reason = f"Not tried yet: {report.stopped_because}"
                report.released += release(connection, claim, next_attempt_at=retry_at, reason=reason)
                break
            report.released += release(connection, claim)
            if should_stop():
                break
    return report
