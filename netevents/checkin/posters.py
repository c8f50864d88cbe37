"""Venue posters: a QR code printed for an entrance, which attendees scan with their own phone to check themselves in.

A poster is a station of kind `poster` (checkin/models.py): the scans made through it are in the event's scan log and
counts under its name, and follow the door's rules (checkin/rules.py), through the ledger, as any station's. Its
secret is in its QR code as {BASE_URL}/p/<secret>; only its hash is kept, so the printable QR code is shown once,
when the poster is made or replaced. Replacing a poster (a print torn down, photographed and shared) gives it a new
secret and keeps the old one's hash, so the old print answers `poster_replaced`; removing it answers
`poster_removed`.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, select

from netevents.accounts.models import User
from netevents.checkin.actors import DoorEvent, ScanActor, load_event
from netevents.checkin.models import ReplacedPoster, ScanReason, Station, StationKind
from netevents.checkin.stations import attach_scan_counts
from netevents.db import new_secret, utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import Event
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.pagination import paginate
from netevents.qr import qr_svg
from netevents.registrations.models import Registration
from netevents.tokens import hash_token


@dataclass(frozen=True, slots=True)
class PrintablePoster:
    """A poster with the secret its QR code holds: answered once, when it is made or replaced."""

    poster: Station
    secret: str
    url: str
    qr_svg: str


def create_poster(event_id: int, user: User, name: str) -> PrintablePoster:
    event = get_organized_event(event_id, user)
    poster = Station(event_id=event.id, kind=StationKind.poster, name=name)
    db.session.add(poster)
    return _issue_secret(poster)


def list_posters(event_id: int, user: User, page: int, per_page: int) -> dict:
    event = get_organized_event(event_id, user)
    posters = select(Station).where(Station.event_id == event.id, Station.kind == StationKind.poster)
    result = paginate(posters.order_by(Station.id), page, per_page)
    attach_scan_counts(result["items"])
    return result


def get_organized_poster(poster_id: int, user: User) -> Station:
    poster = db.session.get(Station, poster_id)
    if poster is None or poster.kind != StationKind.poster:
        raise NotFound("poster")
    get_organized_event(poster.event_id, user)
    return poster


def replace_poster(poster_id: int, user: User) -> PrintablePoster:
    """A new print for the poster: a new secret; the old print's QR code answers `poster_replaced` from now on."""
    poster = get_organized_poster(poster_id, user)
    if poster.revoked_at is not None:
        raise DomainError("poster_removed", "This poster was removed; make a new one instead.")
    if poster.poster_secret_hash is not None:
        db.session.add(ReplacedPoster(secret_hash=poster.poster_secret_hash, station_id=poster.id))
    return _issue_secret(poster)


def remove_poster(poster_id: int, user: User) -> None:
    """The poster checks nobody in any more (its QR code answers `poster_removed`); its scans stay in the log."""
    poster = get_organized_poster(poster_id, user)
    if poster.revoked_at is None:
        poster.revoked_at = utcnow()
    db.session.flush()


def _issue_secret(poster: Station) -> PrintablePoster:
    secret = new_secret()
    poster.poster_secret_hash = hash_token(secret)
    db.session.flush()
    url = f"{current_app.config['BASE_URL']}/p/{secret}"
    return PrintablePoster(poster, secret, url, qr_svg(url).decode())


_POSTER = select(Station.id, Station.event_id, Station.name, Station.revoked_at)
_CURRENT_POSTER = _POSTER.where(Station.poster_secret_hash == bindparam("secret_hash"))
_REPLACED_POSTER = _POSTER.join(ReplacedPoster, ReplacedPoster.station_id == Station.id).where(
    ReplacedPoster.secret_hash == bindparam("secret_hash")
)


@dataclass(frozen=True, slots=True)
class PosterScanner:
    """A person at a poster, as a scanner: the actor of their self check-ins, and their registration (if any)."""

    actor: ScanActor
    event: Event
    registration_id: int | None


def poster_scanner(user: User, secret: str) -> PosterScanner | None:
    """`user` scanning the poster whose QR code holds `secret`; None if it names no poster, current or replaced.

    Their scans are theirs in the ledger (actor "self:<user id>", whatever poster they scan), and the poster's in the
    scan log and the counts. A removed or replaced poster, or a person not registered for its event, is refused
    (and logged) by the door's rules like any refusal."""
    secret_hash = hash_token(secret)
    connection = db.session.connection()
    refusal = None
    poster = connection.execute(_CURRENT_POSTER, {"secret_hash": secret_hash}).first()
    if poster is None:
        poster = connection.execute(_REPLACED_POSTER, {"secret_hash": secret_hash}).first()
        if poster is None:
            return None
        refusal = ScanReason.poster_replaced
    if poster.revoked_at is not None:
        refusal = ScanReason.poster_removed
    event = load_event(poster.event_id)
    registration_id = db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id, Registration.user_id == user.id)
    )
    if refusal is None and registration_id is None:
        refusal = ScanReason.not_registered
    actor = ScanActor(self_checkin_key(user), DoorEvent.of(event), poster.name, station_id=poster.id, refusal=refusal)
    return PosterScanner(actor, event, registration_id)


def self_checkin_key(user: User) -> str:
    """The ledger's actor of a person's self check-ins: their nonces are theirs, whichever poster they scan."""
    return f"self:{user.id}"
