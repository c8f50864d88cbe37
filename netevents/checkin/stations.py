"""Pairing phones to an event's door, and revoking them."""

import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.checkin.actors import STATION_TOKEN_PREFIX
from netevents.checkin.models import Scan, ScanResult, Station, StationKind
from netevents.db import utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.pagination import paginate
from netevents.qr import qr_svg
from netevents.tokens import hash_token, new_token

#: No 0/O, 1/I/L: easy to read aloud and type on a phone. 10 characters = 50 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_TTL = timedelta(hours=24)


def _new_pairing_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


#: The code in a pairing URL ({BASE_URL}/door#pair=CODE), whatever the address before it (it may have changed).
_CODE_IN_URL = re.compile(r"[#?&]pair=([A-Za-z0-9 -]+)")


def normalise_code(code: str) -> str:
    """The code as issued ("K7QF-M2XR-P9"), from what was typed or from the pairing QR's text (the pairing URL)."""
    in_url = _CODE_IN_URL.search(code)
    if in_url:
        code = in_url.group(1)
    raw = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _issue_pairing_code(station: Station) -> Station:
    code = _new_pairing_code()
    station.pairing_code_hash = hash_token(code)
    station.pairing_expires_at = utcnow() + PAIRING_TTL
    db.session.flush()
    # Shown once, in this answer only (transient attributes read by the schema).
    station.pairing_code = code
    station.pairing_url = f"{current_app.config['BASE_URL']}/door#pair={code}"
    station.pairing_qr_svg = qr_svg(station.pairing_url).decode()
    return station


def create_station(event_id: int, user: User, name: str) -> Station:
    event = get_organized_event(event_id, user)
    station = Station(event_id=event.id, name=name)
    db.session.add(station)
    db.session.flush()
    return _issue_pairing_code(station)


def get_organized_station(station_id: int, user: User) -> Station:
    station = db.session.get(Station, station_id)
    if station is None or station.kind != StationKind.door:  # posters are managed as posters
        raise NotFound("station")
    get_organized_event(station.event_id, user)
    return station


def renew_pairing_code(station_id: int, user: User) -> Station:
    """A fresh code for a lost or replaced phone; the phone paired before stops working."""
    station = get_organized_station(station_id, user)
    if station.revoked_at:
        raise DomainError("station_revoked", "This station is revoked; create a new one.")
    station.token_hash = None
    station.paired_at = None
    return _issue_pairing_code(station)


def pair_station(code: str) -> tuple[Station, str]:
    station = db.session.scalar(
        select(Station).where(Station.pairing_code_hash == hash_token(normalise_code(code))).with_for_update()
    )
    if station is None or station.revoked_at or station.pairing_expires_at <= utcnow():
        raise DomainError(
            "invalid_pairing_code",
            "This pairing code is wrong, used or expired. Ask an organizer for the station's current code.",
            status=400,
            field="code",
        )
    token = new_token(STATION_TOKEN_PREFIX)
    station.token_hash = hash_token(token)
    station.pairing_code_hash = None  # one-time
    station.pairing_expires_at = None
    station.paired_at = utcnow()
    db.session.flush()
    return station, token


def revoke_station(station_id: int, user: User) -> None:
    station = get_organized_station(station_id, user)
    if station.revoked_at is None:
        station.revoked_at = utcnow()
        station.pairing_code_hash = None
    db.session.flush()


def list_stations(event_id: int, user: User, page: int, per_page: int) -> dict:
    event = get_organized_event(event_id, user)
    doors = select(Station).where(Station.event_id == event.id, Station.kind == StationKind.door)
    result = paginate(doors.order_by(Station.id), page, per_page)
    attach_scan_counts(result["items"])
    return result


def attach_scan_counts(stations: list[Station]) -> None:
    ids = [station.id for station in stations]
    counts = {}
    if ids:
        rows = db.session.execute(
            # Undone scans are in the log, and in the last scan's time, but count for nothing.
            select(
                Scan.station_id,
                Scan.result,
                func.count().filter(Scan.undone_at.is_(None)),
                func.max(Scan.received_at),
            )
            .where(Scan.station_id.in_(ids))
            .group_by(Scan.station_id, Scan.result)
        )
        for station_id, result, count, last in rows:
            counts.setdefault(station_id, {})[result] = (count, last)
    for station in stations:
        mine = counts.get(station.id, {})
        station.accepted_count = mine.get(ScanResult.accepted, (0, None))[0]
        station.rejected_count = mine.get(ScanResult.rejected, (0, None))[0]
        lasts = [last for _, last in mine.values() if last]
        station.last_scan_at = max(lasts) if lasts else None
