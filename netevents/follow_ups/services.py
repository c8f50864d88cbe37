"""Queuing the follow-ups: each email once per person, event and kind, however often and wherever the job runs.

`queue_due_follow_ups(now)` is the job (the mail worker calls it at the start of each pass; `flask mail
queue-follow-ups` runs it once). For every event whose follow-up is due it works on the event's `FollowUpRun`
(models.py): it claims a chunk of registrations at a time (`FollowUpChunk`, with a lease, so several workers
share one event and a dead worker's chunk is taken over) and queues its emails in one transaction, so neither
database is held for long (SQLite has one writer). Every email also has a unique dedupe key (event,
registration, kind).
A person who turned the category off is skipped when queuing.

One person's email failing to render (a template or data error) does not stop the run: it is recorded as a
`FollowUpFailure` with a reason in words (the organizer sees it in the event's mail status), logged without
personal data, and everyone else's email goes on; the run then "finished with N failures". A database error
still stops the worker (its chunk is rolled back, and taken over by a worker after its lease).
"""

import logging
import secrets
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from netevents.accounts.models import EmailCategory, User
from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import Event, EventStatus, local_time
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.follow_ups import compose
from netevents.follow_ups.compose import FollowUpEmail
from netevents.follow_ups.models import FollowUpChunk, FollowUpFailure, FollowUpKind, FollowUpRun
from netevents.mail.preferences import opted_out
from netevents.mail.services import outgoing_email, queue_outgoing
from netevents.people.actions import actions_of, events_met_at
from netevents.people.suggestions import ListedInterests, suggestions_for_each
from netevents.registrations.attended import came
from netevents.registrations.models import Registration, RegistrationStatus
from netevents.sqlite import reading_only
from netevents.summary.services import SUGGESTED, summaries_for_each

#: Registrations whose emails one transaction queues.
CHUNK = 50
#: A run whose holder has not moved it on for this long is taken over (its process died).
LEASE = timedelta(minutes=10)

log = logging.getLogger(__name__)

_run = table_of(FollowUpRun)
_NEW_RUN = {
    name: insert.returning(_run.c.id) for name, insert in insert_unless_present(_run, "event_id", "kind").items()
}


def queue_due_follow_ups(now: datetime | None = None) -> int:
    """Queue every follow-up due at `now`; how many emails were queued. Commits as it goes (one chunk at a time)."""
    now = now or utcnow()
    config = current_app.config
    delays = {
        FollowUpKind.after_event: timedelta(minutes=config["FOLLOW_UP_DELAY_MINUTES"]),
        FollowUpKind.stay_connected: timedelta(weeks=config["STAY_CONNECTED_WEEKS"]),
    }
    catch_up = timedelta(days=config["FOLLOW_UP_CATCH_UP_DAYS"])
    queued = 0
    for kind, delay in delays.items():
        done = exists().where(
            FollowUpRun.event_id == Event.id, FollowUpRun.kind == kind, FollowUpRun.finished_at.is_not(None)
        )
        due = db.session.scalars(
            select(Event.id)
            .where(
                Event.status == EventStatus.published,
                Event.ends_at <= now - delay,
                Event.ends_at > now - delay - catch_up,
                ~done,
            )
            .order_by(Event.ends_at, Event.id)
        ).all()
        db.session.commit()
        for event_id in due:
            queued += queue_follow_ups(event_id, kind, now)
    return queued


def send_follow_ups_now(event_id: int, organizer: User) -> int:
    """An organizer sends the after-event emails now rather than when due; sending again queues nothing more."""
    event = get_organized_event(event_id, organizer)
    now = utcnow()
    if event.status != EventStatus.published:
        raise DomainError("not_published", "Only a published event's attendees get follow-ups.", field="event_id")
    if now < event.ends_at:
        # During the event everyone not scanned in yet would be told they were missed, and the people-you-met email,
        # sent once, would leave out everyone met later.
        raise DomainError(
            "event_not_over",
            f"The event ends at {local_time(event.ends_at, event.zone)}: its follow-ups can be sent once it is over "
            f"(on their own they go out {current_app.config['FOLLOW_UP_DELAY_MINUTES']} minutes after the end).",
        )
    return queue_follow_ups(event.id, FollowUpKind.after_event, now)


def preview_follow_up(event_id: int, registration_id: int, organizer: User) -> FollowUpEmail:
    """The after-event email one registrant gets (or would get now), as the organizer may see it."""
    event = get_organized_event(event_id, organizer)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound("registration of this event")
    if registration.status != RegistrationStatus.confirmed:
        raise DomainError(
            "not_confirmed",
            f"This registration is {registration.status.value}: only confirmed registrants get a follow-up.",
            field="registration_id",
        )
    user = db.session.get(User, registration.user_id)
    if registration.id not in _were_there(event.id, [registration]):
        return compose.missed_you(event, user, utcnow(), for_preview=True)
    return compose.people_you_met(event, user, previewed_by=organizer)


def queue_follow_ups(event_id: int, kind: FollowUpKind, now: datetime) -> int:
    """Work on the event's run of `kind`: claim its chunks one after another and queue their emails, a chunk per
    transaction; how many this call queued (0 when the run is done, or other workers hold all that is left).
    Several workers calling it at once share the run."""
    run_id = _run_of(event_id, kind)
    if run_id is None:
        return 0
    claim, queued = secrets.token_hex(16), 0
    event = db.session.get(Event, event_id)
    listed: ListedInterests | None = None  # for the suggestions: read with the first chunk, kept for the others
    while (chunk := _claim_chunk(run_id, claim)) is not None:
        chunk_id, after_id, through_id = chunk
        # The chunk's emails are read and built first, holding no write lock (on SQLite the door's check-ins would
        # wait behind a worker's rendering), then written in one short transaction.
        with reading_only():
            if kind == FollowUpKind.after_event and listed is None:
                listed = ListedInterests.of_event(event_id)
            rows, failures = [], []
            registrations = _registrations(event_id, after_id, through_id)
            for registration, write in _compose(event, kind, registrations, now, listed):
                try:
                    row = _outgoing(write(), event_id, registration, kind)
                except SQLAlchemyError:
                    raise  # the database, not this person: the chunk is rolled back and taken over after its lease
                except Exception as error:  # one person's email must not stop everyone else's
                    failures.append(_failure(run_id, event_id, kind, registration, error))
                else:
                    if row is not None:
                        rows.append(row)
            db.session.rollback()  # nothing written: ends the reading
        sent = sum(queue_outgoing(row) is not None for row in rows)
        finished = db.session.execute(
            update(FollowUpChunk)
            .where(FollowUpChunk.id == chunk_id, FollowUpChunk.claim == claim, FollowUpChunk.finished_at.is_(None))
            .values(finished_at=utcnow())
        )
        if finished.rowcount != 1:  # our lease ran out and another worker took the chunk: its emails are its own
            db.session.rollback()
            continue
        if failures:
            db.session.execute(insert(FollowUpFailure), failures)
        db.session.execute(
            update(FollowUpRun)
            .where(FollowUpRun.id == run_id)
            .values(queued=FollowUpRun.queued + sent, failed=FollowUpRun.failed + len(failures))
        )
        db.session.commit()
        queued += sent
    return queued


def _run_of(event_id: int, kind: FollowUpKind) -> int | None:
    """The event's run of `kind` (made if there is none yet), committed; None once it is finished."""
    now = utcnow()
    values = {"event_id": event_id, "kind": kind.value, "claim": "", "claimed_at": now, "started_at": now}
    run_id = execute_in_dialect(_NEW_RUN, {**values, "done_through": 0, "queued": 0}).scalar()
    if run_id is None:
        run_id = db.session.scalar(
            select(FollowUpRun.id).where(
                FollowUpRun.event_id == event_id, FollowUpRun.kind == kind, FollowUpRun.finished_at.is_(None)
            )
        )
    db.session.commit()
    return run_id


def _claim_chunk(run_id: int, claim: str) -> tuple[int, int, int] | None:
    """(chunk id, after id, through id) of a chunk now ours, committed: one whose worker stopped (its lease ran
    out), or else the next registrations after the run's `done_through`. None when there is none: the run is then
    finished if every chunk is."""
    now = utcnow()
    stale = (
        select(FollowUpChunk.id)
        .where(
            FollowUpChunk.run_id == run_id,
            FollowUpChunk.finished_at.is_(None),
            FollowUpChunk.claimed_at < now - LEASE,
        )
        .order_by(FollowUpChunk.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    taken = db.session.execute(
        update(FollowUpChunk)
        .where(FollowUpChunk.id == stale.scalar_subquery(), FollowUpChunk.claimed_at < now - LEASE)
        .values(claim=claim, claimed_at=now)
        .returning(FollowUpChunk.id, FollowUpChunk.after_id, FollowUpChunk.through_id)
    ).first()
    if taken is not None:
        db.session.commit()
        return taken.id, taken.after_id, taken.through_id
    # Planning the next chunk holds the run's row (PostgreSQL; SQLite's write transactions are serial already).
    after_id = db.session.scalar(
        update(FollowUpRun)
        .where(FollowUpRun.id == run_id, FollowUpRun.finished_at.is_(None))
        .values(claim=claim, claimed_at=now)
        .returning(FollowUpRun.done_through)
    )
    through_id = None
    if after_id is not None:
        event_id = select(FollowUpRun.event_id).where(FollowUpRun.id == run_id).scalar_subquery()
        next_ids = (
            select(Registration.id)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.confirmed,
                Registration.id > after_id,
            )
            .order_by(Registration.id)
            .limit(CHUNK)
            .subquery()
        )
        through_id = db.session.scalar(select(func.max(next_ids.c.id)))
    if through_id is None:
        finished = _finish_if_done(run_id, now) if after_id is not None else False
        db.session.commit()
        if finished:
            _log_end(run_id)
        return None
    chunk_id = db.session.scalar(
        insert(FollowUpChunk)
        .values(run_id=run_id, after_id=after_id, through_id=through_id, claim=claim, claimed_at=now)
        .returning(FollowUpChunk.id)
    )
    db.session.execute(update(FollowUpRun).where(FollowUpRun.id == run_id).values(done_through=through_id))
    db.session.commit()
    return chunk_id, after_id, through_id


def _finish_if_done(run_id: int, now: datetime) -> bool:
    """Mark the run finished if every one of its chunks is (its registrations are all in chunks)."""
    unfinished = exists().where(FollowUpChunk.run_id == run_id, FollowUpChunk.finished_at.is_(None))
    done = db.session.execute(
        update(FollowUpRun)
        .where(FollowUpRun.id == run_id, FollowUpRun.finished_at.is_(None), ~unfinished)
        .values(finished_at=now)
    )
    return done.rowcount == 1


def _registrations(event_id: int, after_id: int, through_id: int) -> list[Registration]:
    query = select(Registration).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.confirmed,
        Registration.id > after_id,
        Registration.id <= through_id,
    )
    return list(db.session.scalars(query.order_by(Registration.id)))


def _compose(
    event: Event, kind: FollowUpKind, chunk: list[Registration], now: datetime, listed: ListedInterests | None
) -> Iterator[tuple[Registration, Callable[[], FollowUpEmail | None]]]:
    """Each registration of the chunk due an email, with what writes it (called by the caller, so that one
    person's failure is theirs alone). `listed`: the event's listed people's interests, for the suggestions."""
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_([r.user_id for r in chunk])))}
    category = EmailCategory.stay_connected if kind == FollowUpKind.stay_connected else EmailCategory.follow_up
    off = opted_out(users.keys(), category)
    there = _were_there(event.id, chunk)
    came = [users[r.user_id] for r in chunk if r.id in there and r.user_id not in off]
    summaries: dict = {}
    actions = None
    if kind == FollowUpKind.after_event:
        suggested = suggestions_for_each(came, event.id, limit=SUGGESTED, listed=listed)
        try:
            summaries = summaries_for_each(event, came, suggested)
        except SQLAlchemyError:
            raise
        except Exception as error:  # one person's data broke it: each summary is then read alone, failing alone
            log.error("follow-up summaries of event %d (%s): read one by one", event.id, type(error).__name__)
        # The words of the events' own actions, for everyone's tags (one query, not one an email).
        actions = actions_of({event.id} | {i for summary in summaries.values() for i in events_met_at(summary.met)})
    for registration in chunk:
        user = users[registration.user_id]
        if user.id in off:
            continue
        if kind == FollowUpKind.stay_connected:
            yield registration, lambda user=user: compose.stay_connected(event, user)
        elif registration.id not in there:
            yield registration, lambda user=user: compose.missed_you(event, user, now)
        else:
            yield (
                registration,
                lambda user=user: compose.people_you_met(
                    event, user, suggested=suggested[user.id], summary=summaries.get(user.id), actions=actions
                ),
            )


def _were_there(event_id: int, registrations: list[Registration]) -> set[int]:
    """The registrations whose person came (registrations/attended.py: checked in, or met someone there)."""
    if not registrations:
        return set()
    ids = [r.id for r in registrations]
    return set(db.session.scalars(select(Registration.id).where(Registration.id.in_(ids), came(event_id))))


def _outgoing(
    email: FollowUpEmail | None, event_id: int, registration: Registration, kind: FollowUpKind
) -> dict[str, object] | None:
    if email is None:  # nothing to say to them (stay-connected: everyone already followed up)
        return None
    return outgoing_email(
        email.to,
        email.subject,
        email.text,
        html=email.html,
        attachments=email.attachments,
        dedupe_key=f"follow-up:{kind.value}:{event_id}:{registration.id}",
        event_id=event_id,
        category=email.category.value,
        unsubscribe_url=email.unsubscribe_url,
    )


_EMAIL_OF_KIND = {
    FollowUpKind.after_event: "after-event email (people you met, or sorry we missed you)",
    FollowUpKind.stay_connected: "stay-connected email",
}


def _failure(run_id: int, event_id: int, kind: FollowUpKind, registration: Registration, error: Exception) -> dict:
    """The row recording that this person's email failed, and its log line: the error's type and where it was
    raised, never its message (it may hold a name, an address or a note)."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f"{frame.filename.rsplit('/netevents/', 1)[-1]}:{frame.lineno}" if frame else "?"
    log.error(
        "follow-up %s of event %d: the email of registration %d could not be written (%s at %s); the run goes on",
        kind.value,
        event_id,
        registration.id,
        type(error).__name__,
        where,
    )
    reason = (
        f"Their {_EMAIL_OF_KIND[kind]} could not be written: netevents failed on it ({type(error).__name__}), so it "
        f"was not sent. Everyone else's went on. The server's log has the details under registration {registration.id}."
    )
    return {"run_id": run_id, "registration_id": registration.id, "reason": reason, "failed_at": utcnow()}


def _log_end(run_id: int) -> None:
    run = db.session.get(FollowUpRun, run_id)
    if run is not None:
        level = logging.WARNING if run.failed else logging.INFO
        log.log(level, "follow-up %s of event %d: %s (%d queued)", run.kind.value, run.event_id, run.state, run.queued)
