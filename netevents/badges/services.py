"""Badges: the QR image for a registration, the public card behind /b/{secret}, lost-badge rotation."""

import hashlib
from functools import lru_cache

from flask import current_app
from sqlalchemy import select

from netevents.accounts.models import ContactSharing
from netevents.db import new_secret
from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.qr import qr_png, qr_svg
from netevents.registrations.models import Registration, RegistrationStatus
from netevents.registrations.services import get_registration

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
    registration.badge_secret = new_secret()
    db.session.flush()
    return registration


def registration_by_secret(secret: str) -> Registration:
    registration = db.session.scalar(select(Registration).where(Registration.badge_secret == secret))
    if registration is None or registration.status == RegistrationStatus.cancelled:
        raise NotFound("badge")
    return registration


def public_card(secret: str) -> dict:
    """What a phone camera pointed at a badge shows: the person's public card, as they chose."""
    registration = registration_by_secret(secret)
    person = registration.user
    sharing_public = person.contact_sharing == ContactSharing.public
    return {
        "name": registration.name,
        "headline": registration.headline,
        "company": registration.company,
        "topics": person.topics if sharing_public or person.directory_opt_in else [],
        "event": registration.event,
        "status": registration.status,
        "contact": {"email": person.email, "links": person.links} if sharing_public else None,
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
            "svg": render_badge_qr(badge_url(r), "svg").decode().split("?>", 1)[-1],
        }
        for r in registrations
    ]
