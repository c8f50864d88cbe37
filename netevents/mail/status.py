"""What organizers see of an event's emails: how many are queued, sent and failed, each one's state, and how its
follow-up runs went (with the people whose follow-up could not be written, and why)."""

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.follow_ups.models import FollowUpFailure, FollowUpRun
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.pagination import paginate
from netevents.registrations.models import Registration


def event_mail(event_id: int, user: User, *, page: int, per_page: int, status: MailStatus | None = None) -> dict:
    """The event's emails, newest first (only those in `status` if given), with the counts of all of them by
    status (its organizers only)."""
    event = get_organized_event(event_id, user)
    counted = dict(
        db.session.execute(
            select(OutgoingEmail.status, func.count())
            .where(OutgoingEmail.event_id == event.id)
            .group_by(OutgoingEmail.status)
        ).all()
    )
    counts = {state.value: counted.get(state, 0) for state in MailStatus}
    query = select(OutgoingEmail).where(OutgoingEmail.event_id == event.id)
    if status is not None:
        query = query.where(OutgoingEmail.status == status)
    query = query.order_by(OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc())
    return {"counts": counts, "follow_ups": follow_up_runs(event.id), **paginate(query, page, per_page)}


def follow_up_runs(event_id: int) -> list[dict]:
    """The event's follow-up runs, oldest first, each with its state in words and its failures by person."""
    runs = db.session.scalars(select(FollowUpRun).where(FollowUpRun.event_id == event_id).order_by(FollowUpRun.id))
    failures: dict[int, list[dict]] = {}
    rows = db.session.execute(
        select(FollowUpFailure, Registration.name)
        .join(FollowUpRun, FollowUpRun.id == FollowUpFailure.run_id)
        .join(Registration, Registration.id == FollowUpFailure.registration_id)
        .where(FollowUpRun.event_id == event_id)
        .order_by(FollowUpFailure.registration_id)
    )
    for failure, name in rows:
        failures.setdefault(failure.run_id, []).append(
            {
                "registration_id": failure.registration_id,
                "name": name,
                "reason": failure.reason,
                "failed_at": failure.failed_at,
            }
        )
    return [
        {
            "kind": run.kind,
            "state": run.state,
            "queued": run.queued,
            "failed": run.failed,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "failures": failures.get(run.id, []),
        }
        for run in runs
    ]
