"""What registrants are told, and when. Every message goes through mail.send_email."""

import logging
from typing import Any

from flask import current_app

from netevents.accounts.models import User
from netevents.accounts.services import create_magic_link
from netevents.db import utcnow
from netevents.events.emails import starts_text
from netevents.events.ics import event_calendar
from netevents.events.models import Event
from netevents.mail.allowance import Allowance, address_takes
from netevents.mail.compose import Attachment, InlineImage, on_behalf_of, render_email
from netevents.mail.services import send_email
from netevents.qr import qr_png
from netevents.registrations.cancel_links import cancel_url
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus

log = logging.getLogger(__name__)


def _where(registration: Registration) -> str:
    event = registration.event
    return "Online: you get your personal join link on your badge page" if event.kind == "webinar" else event.venue


def _sent_by(registration: Registration, sender: User | None, anonymous: bool = False) -> dict:
    """What send_email records of an email someone's request sends to another person (mail/allowance.py); an
    anonymous registration's email is counted per address it goes to."""
    if anonymous:
        return {"event_id": registration.event_id, "allowance": Allowance.anonymous_registration}
    if sender is None:
        return {}
    allowance = Allowance.walk_in if registration.source == RegistrationSource.walk_in else Allowance.registration
    return {"sender_id": sender.id, "event_id": registration.event_id, "allowance": allowance}


def _send(
    registration: Registration, template: str, subject: str, *, why: str, context: dict[str, Any], **kwargs: Any
) -> None:
    """One email about `registration` to its registrant, from the event; its bodies from mail/TEMPLATE.txt/.html."""
    event = registration.event
    text, html = render_email(
        template, subject=subject, why=why, name=registration.name, event_title=event.title, **context
    )
    kwargs.setdefault("event_id", event.id)  # every email about the event is in its organizers' delivery status
    send_email(
        registration.email,
        subject,
        text,
        html=html,
        to_name=registration.name,
        from_name=on_behalf_of(event.title),
        **kwargs,
    )


def _made_by(registration: Registration, sender: User | None, for_someone_else: bool) -> dict:
    """What an email of a registration someone else made says of it: who made it (the signed-in person), or that it
    was asked for this address; and the one-click way to cancel it. Nothing for a registration of one's own."""
    if not for_someone_else:
        return {"registered_by": None, "requested": False, "cancel_url": None}
    return {
        "registered_by": sender.name if sender is not None else None,
        "requested": sender is None,
        "cancel_url": cancel_url(registration),
    }


def send_registration_confirmed(
    registration: Registration,
    *,
    promoted: bool = False,
    sender: User | None = None,
    anonymous: bool = False,
    for_someone_else: bool = False,
) -> None:
    event = registration.event
    base_url = current_app.config["BASE_URL"]
    badge_url = f"{base_url}{registration.badge_path}"
    # Shown in the HTML; the badge link is in both parts for mail clients that block images.
    qr = InlineImage("badge-qr.png", qr_png(badge_url), "image/png")
    join_url = f"{base_url}/j/{registration.badge_secret}" if event.kind == "webinar" else None
    _send(
        registration,
        "registration_confirmed",
        f"{'You are in' if promoted else 'Registered'}: {event.title}",
        why=f"you are registered for {event.title}.",
        context={
            "promoted": promoted,
            "when": starts_text(event),
            "where": _where(registration),
            "badge_url": badge_url,
            "qr_cid": qr.cid,
            "sign_in_url": create_magic_link(registration.user, next_path="/me"),
            **_made_by(registration, sender, for_someone_else),
        },
        inline_images=(qr,),
        attachments=(Attachment("event.ics", event_calendar(event, base_url, join_url), "text/calendar"),),
        dedupe_key=f"registration_{'promoted' if promoted else 'confirmed'}:{registration.id}:{registration.badge_secret[:8]}",
        **_sent_by(registration, sender, anonymous),
    )


def send_waitlisted(
    registration: Registration,
    position: int,
    sender: User | None = None,
    anonymous: bool = False,
    for_someone_else: bool = False,
) -> None:
    event = registration.event
    _send(
        registration,
        "registration_waitlisted",
        f"Waitlist: {event.title}",
        why=f"you are on the waitlist of {event.title}.",
        context={"position": position, "when": starts_text(event), **_made_by(registration, sender, for_someone_else)},
        dedupe_key=f"registration_waitlisted:{registration.id}:{registration.badge_secret[:8]}",
        **_sent_by(registration, sender, anonymous),
    )


def send_registration_cancelled(registration: Registration) -> None:
    event = registration.event
    _send(
        registration,
        "registration_cancelled",
        f"Cancelled: your registration for {event.title}",
        why=f"you were registered for {event.title}.",
        context={"event_url": f"{current_app.config['BASE_URL']}/e/{event.id}"},
        dedupe_key=f"registration_cancelled:{registration.id}:{registration.badge_secret[:8]}",
    )


def send_event_cancelled(registration: Registration) -> None:
    event = registration.event
    if not address_takes(Allowance.event_cancelled, registration.email):
        log.warning(
            "event %s cancelled without emailing registration %s: its address had enough today",
            event.id,
            registration.id,
        )
        return
    _send(
        registration,
        "event_cancelled",
        f"Event cancelled: {event.title}",
        why=f"you were registered for {event.title}.",
        context={"when": starts_text(event)},
        dedupe_key=f"event_cancelled:{event.id}:{registration.id}:{registration.badge_secret[:8]}",
        allowance=Allowance.event_cancelled,
    )


def send_for_new_status(
    registration: Registration,
    position: int | None,
    sender: User | None = None,
    anonymous: bool = False,
    for_someone_else: bool = False,
) -> None:
    """`sender`: the person whose request registered someone else, on whose allowance the email goes.
    `for_someone_else`: not the signed-in person registering themselves, so the email says who asked (`sender`, or
    someone on the event's page) and how to cancel."""
    made = {"sender": sender, "anonymous": anonymous, "for_someone_else": for_someone_else}
    if registration.status == RegistrationStatus.confirmed:
        send_registration_confirmed(registration, **made)
    elif registration.status == RegistrationStatus.waitlisted:
        send_waitlisted(registration, position or 0, **made)


def send_already_registered(registration: Registration) -> None:
    """Someone (maybe the person) registered an address that already is: remind it of its badge, once a day."""
    event = registration.event
    _send(
        registration,
        "registration_reminder",
        f"You are already registered: {event.title}",
        why=f"someone asked to register this address for {event.title}.",
        context={"when": starts_text(event), "badge_url": f"{current_app.config['BASE_URL']}{registration.badge_path}"},
        dedupe_key=f"registration_reminder:{registration.id}:{registration.badge_secret[:8]}:{utcnow():%Y-%m-%d}",
        **_sent_by(registration, None, anonymous=True),
    )


def send_sign_in_to_register(event: Event, person: User) -> None:
    """Someone asked to register the address of a person nobody registers but themselves (a
    block with the event's organizers): nothing was registered; if it was them, they register signed in. Counted
    like every email of an anonymous registration (at most a few a day to one address), and once a day per event."""
    if not address_takes(Allowance.anonymous_registration, person.email):
        return
    subject = f"Sign in to register: {event.title}"
    text, html = render_email(
        "registration_sign_in",
        subject=subject,
        why=f"someone asked to register this address for {event.title}.",
        name=person.name,
        event_title=event.title,
        when=starts_text(event),
        sign_in_url=create_magic_link(person, next_path=f"/e/{event.id}"),
    )
    send_email(
        person.email,
        subject,
        text,
        html=html,
        to_name=person.name,
        from_name=on_behalf_of(event.title),
        event_id=event.id,
        allowance=Allowance.anonymous_registration,
        dedupe_key=f"registration_sign_in:{event.id}:{person.id}:{utcnow():%Y-%m-%d}",
    )
