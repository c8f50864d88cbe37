"""What registrants are told, and when. Every message goes through mail.send_email."""

from flask import current_app

from netevents.accounts.models import User
from netevents.accounts.services import create_magic_link
from netevents.events.emails import starts_text
from netevents.events.ics import event_calendar
from netevents.mail.allowance import Allowance
from netevents.mail.services import Attachment, send_email
from netevents.qr import qr_png
from netevents.registrations.models import Registration, RegistrationStatus


def _where(registration: Registration) -> str:
    event = registration.event
    return "Online: you get your personal join link on your badge page" if event.kind == "webinar" else event.venue


def _sent_by(registration: Registration, sender: User | None) -> dict:
    """What send_email records of an email someone's request sends to another person (mail/allowance.py)."""
    if sender is None:
        return {}
    return {"sender_id": sender.id, "event_id": registration.event_id, "allowance": Allowance.registration}


def send_registration_confirmed(
    registration: Registration, *, promoted: bool = False, sender: User | None = None
) -> None:
    event = registration.event
    base_url = current_app.config["BASE_URL"]
    badge_url = f"{base_url}{registration.badge_path}"
    sign_in = create_magic_link(registration.user, next_path="/me")
    opening = "Good news: a spot opened up and you are now registered" if promoted else "You are registered"
    text = (
        f"Hello {registration.name},\n\n{opening} for {event.title}.\n\n"
        f"When: {starts_text(registration.event)}\nWhere: {_where(registration)}\n\n"
        f"Your badge (show its QR code at the door): {badge_url}\n"
        f"The QR code is attached too, and the event is attached for your calendar.\n\n"
        f"Manage your registration and profile (this sign-in link works once): {sign_in}\n"
    )
    join_url = f"{base_url}/j/{registration.badge_secret}" if event.kind == "webinar" else None
    send_email(
        registration.email,
        f"{'You are in' if promoted else 'Registered'}: {event.title}",
        text,
        attachments=(
            Attachment("badge-qr.png", qr_png(badge_url), "image/png"),
            Attachment("event.ics", event_calendar(event, base_url, join_url), "text/calendar"),
        ),
        dedupe_key=f"registration_{'promoted' if promoted else 'confirmed'}:{registration.id}:{registration.badge_secret[:8]}",
        **_sent_by(registration, sender),
    )


def send_waitlisted(registration: Registration, position: int, sender: User | None = None) -> None:
    event = registration.event
    send_email(
        registration.email,
        f"Waitlist: {event.title}",
        f"Hello {registration.name},\n\n{event.title} is full, so you are on the waitlist "
        f"(number {position}). If someone cancels, you move up automatically and we email you at once.\n\n"
        f"When: {starts_text(registration.event)}\n",
        dedupe_key=f"registration_waitlisted:{registration.id}:{registration.badge_secret[:8]}",
        **_sent_by(registration, sender),
    )


def send_registration_cancelled(registration: Registration) -> None:
    event = registration.event
    send_email(
        registration.email,
        f"Cancelled: your registration for {event.title}",
        f"Hello {registration.name},\n\nYour registration for {event.title} is cancelled and your badge "
        f"no longer works. You can register again on {current_app.config['BASE_URL']}/e/{event.id} "
        f"while there is room.\n",
        dedupe_key=f"registration_cancelled:{registration.id}:{registration.badge_secret[:8]}",
    )


def send_event_cancelled(registration: Registration) -> None:
    event = registration.event
    send_email(
        registration.email,
        f"Event cancelled: {event.title}",
        f"Hello {registration.name},\n\nThe organizers have cancelled {event.title} "
        f"({starts_text(registration.event)}). Sorry for the change of plans.\n",
        dedupe_key=f"event_cancelled:{event.id}:{registration.id}:{registration.badge_secret[:8]}",
    )


def send_for_new_status(registration: Registration, position: int | None, sender: User | None = None) -> None:
    """`sender`: the person whose request registered someone else, on whose allowance the email goes."""
    if registration.status == RegistrationStatus.confirmed:
        send_registration_confirmed(registration, sender=sender)
    elif registration.status == RegistrationStatus.waitlisted:
        send_waitlisted(registration, position or 0, sender=sender)
