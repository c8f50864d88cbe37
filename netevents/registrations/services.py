"""Registering, the waitlist, cancelling, and the organizer's attendee list.

Capacity is race-free by construction: every change of a registration's status happens with the
event row locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one write transaction at a
time), and the event's confirmed_count changes in the same transaction.
"""

import logging

from sqlalchemy import Select, bindparam, func, or_, select

from netevents import signals
from netevents.accounts.models import User, Visibility
from netevents.accounts.services import PROFILE_FIELDS, get_or_create_attendee, normalise_email
from netevents.db import new_secret, utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import Event, EventStatus
from netevents.events.services import get_organized_event, get_visible_event, is_organizer, lock_event
from netevents.extensions import db
from netevents.mail.allowance import Allowance, address_takes, check_allowance
from netevents.pagination import paginate
from netevents.registrations import emails
from netevents.registrations.attended import came as came_to
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.csvio import CsvImportError, parse_attendee_csv
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus, ReplacedBadge
from netevents.tokens import hash_token

log = logging.getLogger(__name__)

#: What registering may set on the person's profile: all of it but the name (the badge's name is the registration's).
PROFILE_KEYS = tuple(field for field in PROFILE_FIELDS if field != "name")


def _check_open_for_registration(event: Event) -> None:
    if event.status == EventStatus.cancelled:
        raise DomainError("event_cancelled", "This event was cancelled; registration is closed.")
    if event.status != EventStatus.published:
        raise DomainError("event_not_published", "This event is not open for registration yet.")
    if event.ends_at <= utcnow():
        raise DomainError("event_over", "This event is over; registration is closed.")


def register(
    event_id: int,
    data: dict,
    *,
    signed_in: User | None,
    source: RegistrationSource = RegistrationSource.online,
    notify: bool = True,
    at_the_door: bool = False,
) -> Registration:
    """Register a person (by email, or the signed-in user) for a published event.

    `at_the_door`: a walk-in standing at the entrance is confirmed even when the event is full.
    """
    event = lock_event(get_visible_event(event_id, signed_in).id)
    # Checked under the lock: an event cancelled meanwhile must not take a registration its
    # cancellation emails never told about.
    _check_open_for_registration(event)
    email = data.get("email") or (signed_in.email if signed_in else None)
    if not email:
        raise DomainError("email_required", "Give the email address to send the badge to.", status=422, field="email")
    name = data.get("name") or (signed_in.name if signed_in else None)
    if not name:
        raise DomainError("name_required", "Give the name to print on the badge.", status=422, field="name")
    profile = {key: data[key] for key in PROFILE_KEYS if key in data}
    sender = _sender(event, email, signed_in, notify=notify, at_the_door=at_the_door)
    if sender is not None:
        try:
            check_allowance(Allowance.walk_in if at_the_door else Allowance.registration, sender, event.id)
        except DomainError as refusal:
            if not at_the_door:
                raise
            # Someone standing at the door is registered and let in all the same (the door shows their badge);
            # only the email is not sent.
            log.warning("walk-in registered without an email for event %s: %s", event.id, refusal.message)
            notify = False
    attendee, _ = get_or_create_attendee(email, name=name, **profile)
    own = signed_in is not None and attendee.id == signed_in.id
    if own and profile:
        for key, value in profile.items():  # a signed-in person edits their own profile as they register
            setattr(attendee, key, value)
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.user_id == attendee.id)
    )
    if registration is not None and registration.is_active:
        raise DomainError(
            "already_registered",
            "You are registered for this event already: your badge is under My events."
            if own
            else f"{normalise_email(email)} is already registered for this event. Look for the confirmation "
            f"email, or ask for a sign-in link to see your badge.",
            field="email",
            **({"registration_id": registration.id} if own else {}),
        )
    if registration is None:
        registration = Registration(event_id=event.id, user_id=attendee.id)
        db.session.add(registration)
    registration.status = _status_for_new_registration(event, at_the_door)
    registration.source = source
    registration.name = name
    registration.email = attendee.email
    registration.headline = data.get("headline", _from_profile(attendee, "headline", own)) or ""
    registration.company = data.get("company", _from_profile(attendee, "company", own)) or ""
    new_badge_secret(registration)
    registration.cancelled_at = None
    registration.promoted_at = None
    db.session.flush()
    registration.waitlist_position = waitlist_position(registration)
    anonymous = signed_in is None and not at_the_door
    # Whoever registers someone else's address (signed in or not; a walk-in stands at the door) mails it at most a
    # few times a day, whatever their own allowance.
    if (
        notify
        and not own
        and not at_the_door
        and not address_takes(Allowance.anonymous_registration, registration.email)
    ):
        # Registered all the same (they see it once signed in); someone typing this address into forms all day
        # does not get to fill its inbox.
        log.warning("registration %s made without an email: its address had enough today", registration.id)
        notify = False
    if notify:
        emails.send_for_new_status(registration, registration.waitlist_position, sender=sender, anonymous=anonymous)
    return registration


def _from_profile(person: User, detail: str, own: bool) -> str:
    """What a registration takes from the person's profile when the form leaves `detail` out: only for the person
    registering themselves, and only what they share with someone. Anyone may type anyone's address and must not
    get what that person keeps to themselves; nor do organizers, who see the registration."""
    if not own or getattr(person, f"{detail}_visibility") == Visibility.nobody:
        return ""
    return getattr(person, detail) or ""


def _sender(event: Event, email: str, signed_in: User | None, *, notify: bool, at_the_door: bool) -> User | None:
    """On whose allowance the registration email goes (mail/allowance.py), if anyone's.

    Registering someone else (an import, a signed-in person typing another address) mails them on the registrant's
    allowance, and a walk-in on the organizer's at the door (a station's on its event owner's): each such email
    carries text the organizer wrote. Besides, any registration of an address by someone other than its owner mails
    it at most a few times a day (`address_takes`, in `register`), and anonymous ones are limited per client address
    (the route's limit).
    """
    if not notify:
        return None
    if at_the_door:
        return signed_in or event.owner
    if signed_in is not None and normalise_email(email) != signed_in.email:
        return signed_in
    return None


def register_from_form(event_id: int, data: dict, *, signed_in: User | None) -> Registration | None:
    """The public form: the registration when the caller is the person registered, else None.

    Anyone may type anyone's address, so only its owner (signed in) sees the registration and its badge; for
    everyone else the answer is the same whether the address has an account, is already registered or is new:
    the badge goes to the address. Someone already registered is sent a reminder with their badge (once a day).
    """
    try:
        registration = register(event_id, data, signed_in=signed_in)
    except DomainError as error:
        if error.code != "already_registered":
            raise
        registration = _active_registration(event_id, data.get("email") or (signed_in.email if signed_in else ""))
        if registration is None or (signed_in is not None and registration.user_id == signed_in.id):
            raise
        if address_takes(Allowance.anonymous_registration, registration.email):
            emails.send_already_registered(registration)
        return None
    if signed_in is not None and registration.user_id == signed_in.id:
        return registration
    return None


def _active_registration(event_id: int, email: str) -> Registration | None:
    registration = db.session.scalar(
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, User.email == normalise_email(email))
    )
    return registration if registration is not None and registration.is_active else None


def new_badge_secret(registration: Registration) -> None:
    """A fresh badge secret and short code; the old secret, if any, is remembered (hashed) as replaced, for the door
    to say so. The old code simply names no badge any more."""
    if registration.badge_secret:
        db.session.add(
            ReplacedBadge(secret_hash=hash_token(registration.badge_secret), registration_id=registration.id)
        )
    registration.badge_secret = new_secret()
    registration.badge_code = _unused_badge_code()


_CODE_IN_USE = select(Registration.id).where(Registration.badge_code == bindparam("code"))


def _unused_badge_code() -> str:
    """A code no badge has. 40 random bits: a second draw is already rare; the unique index has the last word."""
    with db.session.no_autoflush:  # the registration being made has no code yet
        while True:
            code = new_badge_code()
            if db.session.scalar(_CODE_IN_USE, {"code": code}) is None:
                return code


def _status_for_new_registration(event: Event, at_the_door: bool = False) -> RegistrationStatus:
    status = status_with_spots(event, event.spots_left, at_the_door)
    if status == RegistrationStatus.confirmed:
        event.confirmed_count += 1
    return status


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


def get_registration(registration_id: int, user: User) -> Registration:
    """A registration its owner or the event's organizers may see; 404 for anyone else."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not (registration.user_id == user.id or is_organizer(registration.event, user)):
        raise NotFound("registration")
    registration.waitlist_position = waitlist_position(registration)
    return registration


def cancel_registration(registration_id: int, user: User) -> Registration:
    registration = get_registration(registration_id, user)
    _cancel(registration)
    return registration


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


def update_registration(registration_id: int, user: User, changes: dict) -> Registration:
    registration = get_registration(registration_id, user)
    if not registration.is_active:
        raise DomainError("registration_cancelled", "A cancelled registration cannot be changed.")
    for name, value in changes.items():
        setattr(registration, name, value)
    db.session.flush()
    return registration


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


def attendee_query(
    event_id: int,
    user: User,
    *,
    q: str | None = None,
    status: RegistrationStatus | None = None,
    checked_in: bool | None = None,
    came: bool | None = None,
) -> Select:
    event = get_organized_event(event_id, user)
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == status)
    if checked_in is not None:
        checked = Registration.checked_in_at.is_not(None)
        query = query.where(checked if checked_in else ~checked)
    if came is not None:
        there = came_to(event.id)
        query = query.where(there if came else ~there)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Registration.name).like(pattern),
                Registration.email.like(pattern),
                func.lower(Registration.company).like(pattern),
            )
        )
    return query.order_by(Registration.name, Registration.id)


def list_attendees(event_id: int, user: User, *, page: int, per_page: int, **filters) -> dict:
    return paginate(attendee_query(event_id, user, **filters), page, per_page)


def import_attendees(event_id: int, user: User, data: bytes, *, dry_run: bool, notify: bool) -> dict:
    """Register everyone in a CSV, or nobody: any bad row rejects the whole file with a report."""
    event = get_organized_event(event_id, user)
    _check_open_for_registration(event)
    try:
        rows = parse_attendee_csv(data)
    except CsvImportError as error:
        raise DomainError("invalid_csv", error.message, status=422, rows=error.errors) from None
    emails_in_file = [row["email"] for row in rows]
    already = set(
        db.session.scalars(
            select(Registration.email).where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.cancelled,
                Registration.email.in_(emails_in_file),
            )
        )
    )
    problems = [
        {"line": row["line"], "field": "email", "message": f"{row['email']} is already registered."}
        for row in rows
        if row["email"] in already
    ]
    if problems:
        raise DomainError(
            "invalid_csv", f"{len(problems)} problem(s) in the file; nothing was imported.", status=422, rows=problems
        )
    if notify:  # all or nothing here too: refused before anyone is registered or mailed
        check_allowance(Allowance.registration, user, event.id, count=len(rows))
    summary = {"rows": len(rows), "confirmed": 0, "waitlisted": 0, "dry_run": dry_run}
    if dry_run:  # what the import below would do, row by row, without doing it
        spots_left = event.spots_left
        for _ in rows:
            status = status_with_spots(event, spots_left)
            if status == RegistrationStatus.confirmed and spots_left is not None:
                spots_left -= 1
            summary[status.value] += 1
        return summary
    for row in rows:
        fields = {key: row[key] for key in ("email", "name", "headline", "company") if row.get(key)}
        registration = register(event.id, fields, signed_in=user, source=RegistrationSource.imported, notify=notify)
        summary[registration.status.value] += 1
    return summary
