"""A registration's badge secret (behind the QR) and short code (under it), new or replaced."""

from sqlalchemy import bindparam, select

from netevents.db import new_secret
from netevents.extensions import db
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.models import Registration, ReplacedBadge
from netevents.tokens import hash_token


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
