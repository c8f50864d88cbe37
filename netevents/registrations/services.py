"""Registering: the public form, signed-in people, imports and walk-ins at the door.

Capacity is race-free by construction: every change of a registration's status happens with the
event row locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs one write transaction at a
time), and the event's confirmed_count changes in the same transaction. The waitlist is waitlist.py,
cancelling cancelling.py, the organizer's attendee list and import attendees.py.
"""

import logging

from sqlalchemy import Select, select

from netevents.accounts.models import User, Visibility
from netevents.accounts.services import PROFILE_FIELDS, find_user_by_email, get_or_create_attendee, normalise_email
from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.events.models import Event, EventStatus
from netevents.events.services import get_visible_event, lock_event
from netevents.extensions import db
from netevents.mail.allowance import Allowance, address_takes, check_allowance
from netevents.people.relations import blocked_either_way, in_a_block
from netevents.registrations import emails
from netevents.registrations.badge_secrets import new_badge_secret
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus
from netevents.registrations.waitlist import status_with_spots, waitlist_position

log = logging.getLogger(__name__)

#: What registering may set on the person's profile: all of it but the name (the badge's name is the registration's).
PROFILE_KEYS = tuple(field for field in PROFILE_FIELDS if field != "name")
#: Choices that hold for all of a person's events: registering makes them for a new person only. Someone who has an
#: account made them already (or kept the defaults), and changes them in their profile: ticking "list me" for one
#: event must not put back in every directory a person who left them all.
STANDING_CHOICES = ("directory_opt_in", "contact_sharing")


def check_open_for_registration(event: Event) -> None:
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
    check_open_for_registration(event)
    email = data.get("email") or (signed_in.email if signed_in else None)
    if not email:
        raise DomainError("email_required", "Give the email address to send the badge to.", status=422, field="email")
    name = data.get("name") or (signed_in.name if signed_in else None)
    if not name:
        raise DomainError("name_required", "Give the name to print on the badge.", status=422, field="name")
    profile = {key: data[key] for key in PROFILE_KEYS if key in data}
    _check_no_block(event, signed_in, email)
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
    attendee, new_person = get_or_create_attendee(email, name=name, **profile)
    own = signed_in is not None and attendee.id == signed_in.id
    # Anyone may type anyone's address: a person with an account is registered with nothing typed for them beside
    # their name (their badge is theirs to fill in), never beside what someone else made up. Their name is their
    # own too, except at the door: the person stands there and says it, and the door is answered only with what it
    # typed, so an address does not tell whose account it is (the badge shows no profile detail beside a name
    # that is not the account's: badges/services.py).
    typed = data if own or new_person else {}
    if not own and not new_person and not at_the_door:
        name = attendee.name or name
    if own:  # a signed-in person edits their own profile as they register, but not their standing choices
        for key, value in profile.items():
            if key not in STANDING_CHOICES:
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
        if new_person:
            # Made in one moment with the account it made: the person's web app tells, once they sign in, that their
            # profile's choices are the defaults, not ones they made before (frontend/src/lib/profileDraft.ts).
            registration.created_at = attendee.created_at
        db.session.add(registration)
    registration.status = _status_for_new_registration(event, at_the_door)
    registration.source = source
    registration.name = name
    registration.email = attendee.email
    registration.headline = typed.get("headline", _from_profile(attendee, "headline", own)) or ""
    registration.company = typed.get("company", _from_profile(attendee, "company", own)) or ""
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
        emails.send_for_new_status(
            registration,
            registration.waitlist_position,
            sender=sender,
            anonymous=anonymous,
            for_someone_else=not own,
        )
    return registration


def out_of_reach(event: Event, registrant: User | None) -> Select:
    """The ids of the people nobody but themselves registers for `event`: everyone in a block, either way, with the
    person registering them (signed in, or at the door) or with any of the event's organizers, who see and reach
    whoever is registered (their attendee list, its emails)."""
    reaching = {link.user_id for link in event.organizers} | ({registrant.id} if registrant is not None else set())
    return blocked_either_way(sorted(reaching))


def _check_no_block(event: Event, signed_in: User | None, email: str) -> None:
    """Registering someone reaches them (an email, a place in the organizers' list): not across a block, either way,
    signed in, anonymous or at the door. The public form answers as always (`register_from_form`); an import and
    the door say the person cannot be registered, not why."""
    person = find_user_by_email(email)
    if person is None or (signed_in is not None and person.id == signed_in.id):
        return
    if db.session.scalar(select(User.id).where(User.id == person.id, User.id.in_(out_of_reach(event, signed_in)))):
        raise DomainError(
            "cannot_register_person",
            f"{person.email} cannot be registered by you; they can register themselves on the event's page.",
            status=422,
            field="email",
        )


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
        if error.code == "cannot_register_person":
            _ask_to_register_signed_in(event_id, data.get("email") or "", signed_in)
            return None  # the same answer as for any address: nothing says who blocked whom
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


def _ask_to_register_signed_in(event_id: int, email: str, signed_in: User | None) -> None:
    """Someone the organizers cannot reach was asked for by someone else: nothing was registered, and the address
    hears that if it was them, they register signed in (a person who blocked an organizer may still come). Not
    when the one asking is in the block themselves: nothing of theirs reaches the person."""
    person = find_user_by_email(email)
    if person is None:
        return
    if signed_in is not None and in_a_block(signed_in.id, person.id):
        return
    emails.send_sign_in_to_register(get_visible_event(event_id, signed_in), person)


def _active_registration(event_id: int, email: str) -> Registration | None:
    registration = db.session.scalar(
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, User.email == normalise_email(email))
    )
    return registration if registration is not None and registration.is_active else None


def _status_for_new_registration(event: Event, at_the_door: bool = False) -> RegistrationStatus:
    status = status_with_spots(event, event.spots_left, at_the_door)
    if status == RegistrationStatus.confirmed:
        event.confirmed_count += 1
    return status
