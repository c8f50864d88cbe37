"""Where an event's after-event emails stand, for its organizers: when they go out on their own, whether they
went, who gets them, and how their delivery fares.

A fixed number of queries however big the event: the run, the recipients by kind, the emails by status.
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from netevents.accounts.models import EmailCategory, EmailOptOut, User
from netevents.db import utcnow
from netevents.events.models import Event, EventStatus
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.follow_ups.models import FollowUpKind, FollowUpRun
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.registrations.attended import came as came_to
from netevents.registrations.models import Registration, RegistrationStatus


class FollowUpStage(enum.StrEnum):
    #: Goes out on its own at `due_at` (or at the worker's next pass once that is past).
    scheduled = "scheduled"
    #: Being queued now, a chunk of registrations at a time.
    sending = "sending"
    #: Queued for everyone; the outbox delivers it (`emails`).
    sent = "sent"
    #: Its automatic window passed and it never went: only "send now" sends it.
    overdue = "overdue"
    #: The event is not published: nobody gets a follow-up.
    not_sending = "not_sending"


class SendNowRefusal(enum.StrEnum):
    not_published = "not_published"
    event_not_over = "event_not_over"
    sending = "sending"
    already_sent = "already_sent"


@dataclass(frozen=True, slots=True)
class Recipients:
    #: People who came (registrations/attended.py: checked in, or met someone there): the people-you-met email.
    people_you_met: int
    #: Confirmed people who did not come: the short "sorry we missed you".
    missed_you: int
    #: Confirmed people who turned follow-up emails off: they get neither.
    opted_out: int


@dataclass(frozen=True, slots=True)
class FollowUpState:
    event_id: int
    state: FollowUpStage
    #: When the after-event emails go out on their own (the event's end plus the configured delay).
    due_at: datetime
    #: After this, the job no longer sends them on its own (an organizer still may).
    automatic_until: datetime
    #: When the stay-connected reminder goes out on its own.
    stay_connected_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    recipients: Recipients
    #: The after-event emails in the outbox, by delivery status.
    emails: dict[str, int]
    #: Why "send now" would be refused or do nothing at the moment, or None when it may be used.
    send_now_refused: SendNowRefusal | None


def follow_up_state(event_id: int, organizer: User) -> FollowUpState:
    event = get_organized_event(event_id, organizer)
    config = current_app.config
    now = utcnow()
    due_at = event.ends_at + timedelta(minutes=config["FOLLOW_UP_DELAY_MINUTES"])
    automatic_until = due_at + timedelta(days=config["FOLLOW_UP_CATCH_UP_DAYS"])
    run = db.session.scalar(
        select(FollowUpRun).where(FollowUpRun.event_id == event.id, FollowUpRun.kind == FollowUpKind.after_event)
    )
    published = event.status == EventStatus.published
    if run is not None:
        state = FollowUpStage.sent if run.finished_at is not None else FollowUpStage.sending
    elif not published:
        state = FollowUpStage.not_sending
    else:
        state = FollowUpStage.overdue if now > automatic_until else FollowUpStage.scheduled
    refused = None
    if not published:
        refused = SendNowRefusal.not_published
    elif now < event.ends_at:
        refused = SendNowRefusal.event_not_over
    elif run is not None:
        refused = SendNowRefusal.already_sent if run.finished_at is not None else SendNowRefusal.sending
    return FollowUpState(
        event_id=event.id,
        state=state,
        due_at=due_at,
        automatic_until=automatic_until,
        stay_connected_at=event.ends_at + timedelta(weeks=config["STAY_CONNECTED_WEEKS"]),
        started_at=run.started_at if run else None,
        finished_at=run.finished_at if run else None,
        recipients=_recipients(event),
        emails=_emails(event),
        send_now_refused=refused,
    )


def _recipients(event: Event) -> Recipients:
    """Who gets which email if it went out now (the same rules as the job: who came as registrations/attended.py
    says, opted_out)."""
    opted_out = Registration.user_id.in_(
        select(EmailOptOut.user_id).where(EmailOptOut.category == EmailCategory.follow_up)
    )
    came = came_to(event.id)
    counts = db.session.execute(
        select(
            func.count().filter(~opted_out, came),
            func.count().filter(~opted_out, ~came),
            func.count().filter(opted_out),
        ).where(Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
    ).one()
    return Recipients(*counts)


def _emails(event: Event) -> dict[str, int]:
    prefix = f"follow-up:{FollowUpKind.after_event.value}:{event.id}:"
    counted = dict(
        db.session.execute(
            select(OutgoingEmail.status, func.count())
            .where(OutgoingEmail.event_id == event.id, OutgoingEmail.dedupe_key.startswith(prefix, autoescape=True))
            .group_by(OutgoingEmail.status)
        ).all()
    )
    return {status.value: counted.get(status, 0) for status in MailStatus}
