""" "Not you? Cancel this registration": the signed link in the email of a registration someone else made for an
address. It names one registration with its badge of the moment, so a later badge (registered again, replaced)
is not cancelled by an old email; it never expires while that badge lives.
"""

from flask import current_app
from itsdangerous import BadSignature

from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.registrations.models import Registration
from netevents.signing import signer
from netevents.tokens import hash_token

_SALT = "netevents.cancel-registration"


def _badge_mark(registration: Registration) -> str:
    return hash_token(registration.badge_secret)[:16]


def cancel_url(registration: Registration) -> str:
    token = signer(_SALT).dumps([registration.id, _badge_mark(registration)])
    return f"{current_app.config['BASE_URL']}/registrations/cancel/{token}"


def registration_named(token: str) -> Registration:
    """The registration a link names; 404 when it was not made here or names a badge that is no more."""
    try:
        registration_id, mark = signer(_SALT).loads(token)
        registration = db.session.get(Registration, int(registration_id))
    except (BadSignature, ValueError, TypeError):
        raise NotFound("link") from None
    if registration is None or _badge_mark(registration) != mark:
        raise DomainError(
            "link_outdated",
            "This link is for a badge that is no more (registered again, or replaced). Sign in with this address to "
            "see its registrations and cancel from there.",
            status=404,
        )
    return registration
