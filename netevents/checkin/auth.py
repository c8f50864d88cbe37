"""Who is scanning: a paired station (token "st_...") or one of the event's organizers."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from netevents.accounts.auth import bearer_token, require_user
from netevents.accounts.models import User
from netevents.checkin.models import Station
from netevents.checkin.statements import DoorStatement, DoorTransaction
from netevents.errors import DomainError, Forbidden, Unauthorized
from netevents.events.models import Event, EventStatus
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.tokens import hash_token

STATION_TOKEN_PREFIX = "st"
NOT_PAIRED = "This needs a paired door station; pair the phone again with a fresh code."


@dataclass(frozen=True, slots=True)
class DoorEvent:
    """What a scan needs of its event, read together with the station (no ORM object on every scan)."""

    id: int
    status: EventStatus
    timezone: str
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime | None
    checkin_closes_at: datetime | None

    # The model's own rules, not a copy of them.
    zone = Event.zone
    checkin_window = Event.checkin_window


@dataclass(frozen=True, slots=True)
class DoorStation:
    id: int
    name: str
    revoked_at: datetime | None


@dataclass
class ScanActor:
    """The device or person behind a scan; nonces are unique per actor `key`."""

    key: str
    event: Event | DoorEvent
    label: str
    station: Station | DoorStation | None = None
    user: User | None = None

    @property
    def revoked(self) -> bool:
        return self.station is not None and self.station.revoked_at is not None


def is_station_token(token: str | None) -> bool:
    return bool(token) and token.startswith(STATION_TOKEN_PREFIX + "_")


def current_station() -> Station | None:
    token = bearer_token()
    if not is_station_token(token) or len(token) > 200:
        return None
    return db.session.scalar(select(Station).where(Station.token_hash == hash_token(token)))


def require_station(*, allow_revoked: bool = False) -> Station:
    station = current_station()
    if station is None:
        raise Unauthorized(NOT_PAIRED)
    if station.revoked_at and not allow_revoked:
        raise DomainError("station_revoked", "This station was revoked by an organizer; ask them for a new pairing code.",
                          status=403)
    return station


def load_event(event_id: int) -> Event:
    return db.session.scalars(select(Event).where(Event.id == event_id).options(lazyload(Event.organizers))).one()


_station, _event = Station.__table__.c, Event.__table__.c
#: Built once, run for every scan: the station and its event in one plain row.
_DOOR = DoorStatement(
    select(_station.id, _station.name, _station.event_id, _station.revoked_at, _event.status, _event.timezone,
           _event.starts_at, _event.ends_at, _event.checkin_opens_at, _event.checkin_closes_at)
    .join_from(Station.__table__, Event.__table__, _event.id == _station.event_id)
    .where(_station.token_hash == bindparam("token_hash"))
)


def door_transaction() -> DoorTransaction:
    """The transaction for this request's scans: a connection of its own for a station (see `DoorTransaction`)."""
    return DoorTransaction(own_connection=is_station_token(bearer_token()))


def scan_actor(transaction: DoorTransaction, event_id: int | None) -> ScanActor:
    """The caller as a scanner: its station, or an organizer naming the event in `event_id`."""
    token = bearer_token()
    if is_station_token(token):
        door = None
        if len(token) <= 200:
            door = _DOOR.first(transaction.reader(), {"token_hash": hash_token(token)})
        if door is None:
            raise Unauthorized(NOT_PAIRED)
        if event_id is not None and event_id != door.event_id:
            raise Forbidden("This station is paired to another event.")
        event = DoorEvent(door.event_id, door.status, door.timezone, door.starts_at, door.ends_at,
                          door.checkin_opens_at, door.checkin_closes_at)
        return ScanActor(f"station:{door.id}", event, door.name, station=DoorStation(door.id, door.name, door.revoked_at))
    user = require_user()
    if event_id is None:
        raise DomainError("event_id_required", "Say which event you are checking people in for.", status=422,
                          field="event_id")
    event = get_organized_event(event_id, user)
    return ScanActor(f"user:{user.id}", event, f"Organizer {user.name}", user=user)
