"""What organizers see of an event's emails: how many are queued, sent and failed, and each one's state."""

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.pagination import paginate


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
    return {"counts": counts, **paginate(query, page, per_page)}
