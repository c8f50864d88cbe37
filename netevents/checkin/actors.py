"""Who is scanning: a paired station (token "st_..."), one of the event's organizers, an attendee's webinar link, or
an attendee at a venue poster (netevents.checkin.posters)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import lazyload

from netevents.accounts.auth import bearer_token, require_user
from netevents.accounts.models import User
from netevents.checkin.models import Scan, ScanReason, Station
from netevents.db import table_of
from netevents.errors import DomainError, Forbidden, Unauthorized
from netevents.events.models import Event, EventStatus, checkin_window
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.tokens import hash_token

STATION_TOKEN_PREFIX = "st"
NOT_PAIRED = "This needs a paired door station; pair the phone again with a fresh code."
STATION_REVOKED = "This station was revoked by an organizer; ask them for a new pairing code."
#: Longer than any token we issue: not worth hashing.
_MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class DoorEvent:
    """What the door's rules need to know of an event: read with the station in one row on every scan."""

    id: int
    status: EventStatus
    checkin_window: tuple[datetime, datetime]
    zone: ZoneInfo

    @classmethod
    def of(cls, event: Event) -> "DoorEvent":
        return cls(event.id, event.status, event.checkin_window, event.zone)


@dataclass(frozen=True, slots=True)
class ScanActor:
    """The device or person behind a scan; nonces are unique per actor `key` (see netevents.ledger)."""

    key: str
    event: DoorEvent
    #: How the scan log and "already checked in at ..." name it.
    label: str
    station_id: int | None = None
    #: Every scan of this actor is refused so, and logged: a revoked station's first request after its revocation
    #: (`scan_actor`); a removed or replaced poster, or a person not registered for the poster's event.
    refusal: ScanReason | None = None
    user: User | None = None

    @property
    def revoked(self) -> bool:
        return self.refusal == ScanReason.station_revoked


def is_station_token(token: str | None) -> bool:
    return token is not None and token.startswith(STATION_TOKEN_PREFIX + "_")


def require_station(*, allow_revoked: bool = False) -> Station:
    station = current_station()
    if station is None:
        raise Unauthorized(NOT_PAIRED)
    if station.revoked_at and not allow_revoked:
        raise DomainError("station_revoked", STATION_REVOKED, status=403)
    return station


def load_event(event_id: int) -> Event:
    return db.session.scalars(select(Event).where(Event.id == event_id).options(lazyload(Event.organizers))).one()


_station, _event = table_of(Station).c, table_of(Event).c
#: A station and what the door needs of its event, read together on every scan.
_PAIRED_STATION = (
    select(
        _station.id,
        _station.name,
        _station.revoked_at,
        _station.event_id,
        _event.status,
        _event.starts_at,
        _event.ends_at,
        _event.checkin_opens_at,
        _event.checkin_closes_at,
        _event.timezone,
    )
    .join_from(table_of(Station), table_of(Event), _event.id == _station.event_id)
    .where(_station.token_hash == bindparam("token_hash"))
)
_PAIRED_KEY = "netevents.paired_station"


def paired_station() -> Row[Any] | None:
    """The calling station (revoked ones too) with what the door needs of its event, as one row; looked up once
    per request (cached in its environ: `@access` asks before the view does)."""
    environ = request.environ
    if _PAIRED_KEY not in environ:
        token = bearer_token()
        paired = None
        if token is not None and is_station_token(token) and len(token) <= _MAX_TOKEN_LENGTH:
            paired = db.session.connection().execute(_PAIRED_STATION, {"token_hash": hash_token(token)}).first()
        environ[_PAIRED_KEY] = paired
    cached: Row[Any] | None = environ[_PAIRED_KEY]
    return cached


def current_station() -> Station | None:
    """The calling station as a model, for the views that manage it (scans need only `paired_station`)."""
    paired = paired_station()
    return db.session.get(Station, paired.id) if paired else None


def scan_actor(event_id: int | None) -> ScanActor:
    """The caller as a scanner: its station, or an organizer naming the event in `event_id`.

    A revoked station is answered once more: its first scans after the revocation are refused `station_revoked`
    and logged, so the organizers see that the phone is still in use (and what it scanned); from then on it gets
    403 before anything is written, so a revoked phone cannot fill the scan log.
    """
    token = bearer_token()
    if token is not None and is_station_token(token):
        paired = paired_station()
        if paired is None:
            raise Unauthorized(NOT_PAIRED)
        if event_id is not None and event_id != paired.event_id:
            raise Forbidden("This station is paired to another event.")
        if paired.revoked_at is not None and _refusal_logged(paired.id):
            raise DomainError("station_revoked", STATION_REVOKED, status=403)
        return ScanActor(
            f"station:{paired.id}",
            DoorEvent(
                paired.event_id,
                paired.status,
                checkin_window(paired.starts_at, paired.ends_at, paired.checkin_opens_at, paired.checkin_closes_at),
                ZoneInfo(paired.timezone),
            ),
            paired.name,
            station_id=paired.id,
            refusal=ScanReason.station_revoked if paired.revoked_at is not None else None,
        )
    user = require_user()
    if event_id is None:
        raise DomainError(
            "event_id_required", "Say which event you are checking people in for.", status=422, field="event_id"
        )
    event = DoorEvent.of(get_organized_event(event_id, user))
    return ScanActor(f"user:{user.id}", event, f"Organizer {user.name}", user=user)


def _refusal_logged(station_id: int) -> bool:
    """A revoked station's scans were refused and logged already."""
    logged = select(Scan.id).where(Scan.station_id == station_id, Scan.reason == ScanReason.station_revoked).limit(1)
    return db.session.scalar(logged) is not None


def join_actor(registration_id: int, event: Event) -> ScanActor:
    """An attendee's own webinar join link, which checks them in when they open it."""
    return ScanActor(f"join:{registration_id}", DoorEvent.of(event), "Join link")
