"""The waitlist: which status a new registration gets, its place in the queue, and promotion when seats free up."""

from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from netevents.registrations import emails
from netevents.registrations.models import Registration, RegistrationStatus


def status_with_spots(event: Event, spots_left: int | None, at_the_door: bool = False) -> RegistrationStatus:
    """The status a new registration gets while `spots_left` spots are free (None: no capacity): the one rule for
    registering and for an import's preview."""
    if at_the_door or spots_left is None or spots_left > 0:
        return RegistrationStatus.confirmed
    if event.waitlist_enabled:
        return RegistrationStatus.waitlisted
    raise DomainError("event_full", "This event is full and has no waitlist.")


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.waitlisted:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.waitlisted,
            Registration.id <= registration.id,
        )
    )


def fill_free_spots(event: Event) -> list[Registration]:
    """Promote waitlisted people, first come first served, while there is room. Event must be locked."""
    if event.status != EventStatus.published:
        return []
    limit = event.spots_left
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.waitlisted)
        .order_by(Registration.id)
    )
    if limit is not None:
        if limit <= 0:
            return []
        query = query.limit(limit)
    promoted = list(db.session.scalars(query))
    now = utcnow()
    for registration in promoted:
        registration.status = RegistrationStatus.confirmed
        registration.promoted_at = now
        event.confirmed_count += 1
    db.session.flush()
    for registration in promoted:
        emails.send_registration_confirmed(registration, promoted=True)
    return promoted
