"""Cancelling: by the person, for a leaving account, and the news of a cancelled event. A confirmed seat that
frees up goes to the waitlist in the same transaction, under the event's lock."""

from sqlalchemy import select

from netevents import signals
from netevents.accounts.models import User
from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.events.models import Event
from netevents.events.services import lock_event
from netevents.extensions import db
from netevents.registrations import emails
from netevents.registrations.lookup import get_registration
from netevents.registrations.models import Registration, RegistrationStatus
from netevents.registrations.waitlist import fill_free_spots


def cancel_registration(registration_id: int, user: User) -> Registration:
    registration = get_registration(registration_id, user)
    _cancel(registration)
    return registration


def cancel_by_link(registration: Registration) -> bool:
    """ "Not you?": the person an email went to cancels a registration someone else made for their address, without
    signing in (the signed link is the key). False when it was cancelled already; pressing twice cancels once."""
    if registration.status == RegistrationStatus.cancelled:
        return False
    try:
        _cancel(registration)
    except DomainError as error:
        if error.code != "already_cancelled":  # cancelled a moment ago, under the event's lock
            raise
        return False
    return True


def _cancel(registration: Registration, *, notify: bool = True) -> None:
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.cancelled:
        raise DomainError("already_cancelled", "This registration is already cancelled.")
    was_confirmed = registration.status == RegistrationStatus.confirmed
    registration.status = RegistrationStatus.cancelled
    registration.cancelled_at = utcnow()
    registration.waitlist_position = None
    if was_confirmed:
        event.confirmed_count -= 1
    db.session.flush()
    signals.announce(
        signals.registration_cancelled,
        __name__,
        registration_id=registration.id,
        event_id=event.id,
        user_id=registration.user_id,
        freed_seat=was_confirmed,
    )
    if notify:
        emails.send_registration_cancelled(registration)
    if was_confirmed:
        fill_free_spots(event)


def release_registrations_of(user_id: int) -> None:
    """Cancel a leaving person's active registrations so their seats go to the waitlist."""
    active = db.session.scalars(
        select(Registration).where(Registration.user_id == user_id, Registration.status != RegistrationStatus.cancelled)
    ).all()
    for registration in active:
        _cancel(registration, notify=False)


def notify_event_cancelled(event: Event) -> None:
    for registration in db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status != RegistrationStatus.cancelled
        )
    ):
        emails.send_event_cancelled(registration)
