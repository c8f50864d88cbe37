"""Finding registrations: one as its owner or the event's organizers see (and change) it, and a person's own."""

from sqlalchemy import select

from netevents.accounts.models import User
from netevents.errors import DomainError, NotFound
from netevents.events.models import Event
from netevents.events.services import is_organizer
from netevents.extensions import db
from netevents.pagination import paginate
from netevents.registrations.models import Registration
from netevents.registrations.waitlist import waitlist_position


def get_registration(registration_id: int, user: User) -> Registration:
    """A registration its owner or the event's organizers may see; 404 for anyone else."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (registration.user_id == user.id or is_organizer(registration.event, user)):
        raise NotFound("registration")
    registration.waitlist_position = waitlist_position(registration)
    return registration


def update_registration(registration_id: int, user: User, changes: dict) -> Registration:
    registration = get_registration(registration_id, user)
    if not registration.is_active:
        raise DomainError("registration_cancelled", "A cancelled registration cannot be changed.")
    for name, value in changes.items():
        setattr(registration, name, value)
    db.session.flush()
    return registration


def registrations_of(user_id: int) -> list[Registration]:
    """Every registration a person ever made, cancelled ones too (for their data export)."""
    query = select(Registration).where(Registration.user_id == user_id).order_by(Registration.id)
    return list(db.session.scalars(query))


def my_registrations(user: User, page: int, per_page: int) -> dict:
    query = (
        select(Registration)
        .join(Event)
        .where(Registration.user_id == user.id)
        .order_by(Event.starts_at.desc(), Registration.id.desc())
    )
    return paginate(query, page, per_page)
