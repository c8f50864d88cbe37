"""Badges: the QR image for a registration, the public card behind /b/{secret}, lost-badge rotation."""

import hashlib
from functools import lru_cache

from flask import current_app
from sqlalchemy import select

from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.people.visibility import Relation, card_for
from netevents.qr import qr_png, qr_svg
from netevents.registrations.badge_codes import display_badge_code
from netevents.registrations.badge_secrets import new_badge_secret
from netevents.registrations.lookup import get_registration
from netevents.registrations.models import Registration, RegistrationStatus

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
    """What a phone camera pointed at a badge shows: what is printed on it, and what its holder shares with
    everyone (netevents/people/visibility.py, seen by whoever holds the badge: they are at the event)."""
    registration = registration_by_secret(secret)
    card = card_for(registration.user, Relation.badge)
    contact = {"email": card.email, "phone": card.phone or None, "links": card.links or None}
    return {
        "name": registration.name,
        "headline": registration.headline if card.headline is not None else None,
        "company": registration.company if card.company is not None else None,
        "topics": card.topics or [],
        "event": registration.event,
        "status": registration.status,
        "contact": contact if any(contact.values()) else None,
        "qr_svg_url": f"/api/v1/badges/{secret}/qr.svg",
    }


def badge_sheet(event) -> list[dict]:
    """Every confirmed attendee's badge for printing, by name."""
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
        .order_by(Registration.name)
    ).all()
    return [
        {
            "name": r.name,
            "headline": r.headline,
            "company": r.company,
            "code": display_badge_code(r.badge_code),
            "svg": render_badge_qr(badge_url(r), "svg").decode().split("?>", 1)[-1],
        }
        for r in registrations
    ]
