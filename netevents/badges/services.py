"""Badges: the QR image for a registration, the public card behind /b/{secret}, lost-badge rotation."""

import hashlib
from functools import lru_cache

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.people.visibility import PersonCard, Relation, card_for
from netevents.qr import qr_png, qr_svg
from netevents.registrations.badge_codes import display_badge_code
from netevents.registrations.badge_secrets import new_badge_secret
from netevents.registrations.lookup import get_registration
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def badge_url(registration: Registration) -> str:
    return f"{current_app.config['BASE_URL']}{registration.badge_path}"


def badge_etag(url: str, image_format: str) -> str:
    """Derived from the badge URL, so a rotated secret changes it; cheap to check before rendering."""
    return hashlib.sha256(f"{image_format}:{url}".encode()).hexdigest()[:32]


@lru_cache(maxsize=4096)
def render_badge_qr(url: str, image_format: str) -> bytes:
    """Rendered once per badge and format (per process); the image only changes with the secret."""
    return qr_svg(url) if image_format == "svg" else qr_png(url)


def registration_for_badge(registration_id: int, user) -> Registration:
    registration = get_registration(registration_id, user)
    if not registration.is_active:
        raise DomainError("registration_cancelled", "This registration is cancelled; it has no badge.", status=410)
    return registration


def rotate_badge(registration_id: int, user) -> Registration:
    """Lost badge: a new secret; the old QR stops working at once."""
    registration = registration_for_badge(registration_id, user)
    new_badge_secret(registration)
    db.session.flush()
    return registration


def registration_by_secret(secret: str) -> Registration:
    registration = db.session.scalar(select(Registration).where(Registration.badge_secret == secret))
    if registration is None or registration.status == RegistrationStatus.cancelled:
        raise NotFound("badge")
    return registration


def public_card(secret: str) -> dict:
    """What a phone camera pointed at a badge shows: what is printed on it, and the event it is for. Anyone may
    hold a badge's QR code, not only people at the event, so nothing its holder shares only with people at their
    events or with people they meet (netevents/people/visibility.py, `Relation.badge`)."""
    registration = registration_by_secret(secret)
    return {
        "name": registration.name,
        **printed_on_badge(registration, _badge_card(registration)),
        "event": registration.event,
        "status": registration.status,
        "qr_svg_url": f"/api/v1/badges/{secret}/qr.svg",
    }


def _badge_card(registration: Registration) -> PersonCard | None:
    return card_for(registration.user, Relation.badge)


def printed_on_badge(registration: Registration, card: PersonCard | None) -> dict[str, str | None]:
    """The headline and company a badge shows (printed, on its public card, on its holder's phone): their profile's
    as it is now (what they edit, what every other card of theirs shows), or, where the profile has none, what was
    typed at registration; each only while its holder shares it with everyone (a badge is worn in front of
    everyone), so a choice made later takes it off the next print; None where not shared. A walk-in's badge carries
    the name said at the door: beside a name that is not the account's, nothing of the account's profile."""
    if card is None or _named_at_the_door(registration):
        return {"headline": None, "company": None}
    return {
        "headline": None if card.headline is None else card.headline or registration.headline,
        "company": None if card.company is None else card.company or registration.company,
    }


def _named_at_the_door(registration: Registration) -> bool:
    return registration.source == RegistrationSource.walk_in and registration.name != registration.user.name


def badge_sheet(event) -> list[dict]:
    """Every confirmed attendee's badge for printing, by name: what each shares with everyone, nothing more."""
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
        .options(joinedload(Registration.user))
        .order_by(Registration.name)
    ).all()
    return [
        {
            "name": r.name,
            **printed_on_badge(r, _badge_card(r)),
            "code": display_badge_code(r.badge_code),
            "svg": render_badge_qr(badge_url(r), "svg").decode().split("?>", 1)[-1],
        }
        for r in registrations
    ]
