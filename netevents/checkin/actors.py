"""Who is scanning: a paired station (token "st_...") or one of the event's organizers."""

from dataclasses import dataclass

from flask import request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from netevents.accounts.auth import bearer_token, require_user
from netevents.accounts.models import User
from netevents.checkin.models import Station
from netevents.errors import DomainError, Forbidden, Unauthorized
from netevents.events.models import Event
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.tokens import hash_token

STATION_TOKEN_PREFIX = "st"
NOT_PAIRED = "This needs a paired door station; pair the phone again with a fresh code."
#: Longer than any token we issue: not worth hashing.
_MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ScanActor:
    """The device or person behind a scan; nonces are unique per actor `key` (see netevents.ledger)."""

    key: str
    event: Event
    #: How the scan log and "already checked in at ..." name it.
    label: str
    station: Station | None = None
    user: User | None = None

    @property
    def revoked(self) -> bool:
        return self.station is not None and self.station.revoked_at is not None


def is_station_token(token: str | None) -> bool:
    return token is not None and token.startswith(STATION_TOKEN_PREFIX + "_")


def require_station(*, allow_revoked: bool = False) -> Station:
    station = current_station()
    if station is None:
        raise Unauthorized(NOT_PAIRED)
    if station.revoked_at and not allow_revoked:
        raise DomainError(
            "station_revoked", "This station was revoked by an organizer; ask them for a new pairing code.", status=403
        )
    return station


def load_event(event_id: int) -> Event:
    return db.session.scalars(select(Event).where(Event.id == event_id).options(lazyload(Event.organizers))).one()


#: A station and its event, read together on every scan.
_PAIRED_STATION = (
    select(Station, Event)
    .join(Event, Event.id == Station.event_id)
    .where(Station.token_hash == bindparam("token_hash"))
    .options(lazyload(Event.organizers))
)
_PAIRED_KEY = "netevents.paired_station"


def paired_station() -> tuple[Station, Event] | None:
    """The calling station (revoked ones too) and its event, looked up once per request (cached in its environ:
    `@access` asks before the view does)."""
    environ = request.environ
    if _PAIRED_KEY not in environ:
        token = bearer_token()
        paired: tuple[Station, Event] | None = None
        if token is not None and is_station_token(token) and len(token) <= _MAX_TOKEN_LENGTH:
            row = db.session.execute(_PAIRED_STATION, {"token_hash": hash_token(token)}).first()
            paired = (row[0], row[1]) if row is not None else None
        environ[_PAIRED_KEY] = paired
    cached: tuple[Station, Event] | None = environ[_PAIRED_KEY]
    return cached


def current_station() -> Station | None:
    paired = paired_station()
    return paired[0] if paired else None


def scan_actor(event_id: int | None) -> ScanActor:
    """The caller as a scanner: its station (revoked ones too: their scans are logged, and refused), or an
    organizer naming the event in `event_id`."""
    token = bearer_token()
    if token is not None and is_station_token(token):
        paired = paired_station()
        if paired is None:
            raise Unauthorized(NOT_PAIRED)
        station, event = paired
        if event_id is not None and event_id != station.event_id:
            raise Forbidden("This station is paired to another event.")
        return ScanActor(f"station:{station.id}", event, station.name, station=station)
    user = require_user()
    if event_id is None:
        raise DomainError(
            "event_id_required", "Say which event you are checking people in for.", status=422, field="event_id"
        )
    return ScanActor(f"user:{user.id}", get_organized_event(event_id, user), f"Organizer {user.name}", user=user)


def join_actor(registration_id: int, event: Event) -> ScanActor:
    """An attendee's own webinar join link, which checks them in when they open it."""
    return ScanActor(f"join:{registration_id}", event, "Join link")
