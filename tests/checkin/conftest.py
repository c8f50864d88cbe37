import itertools
from datetime import timedelta

import pytest

from netevents.checkin.stations import create_station, pair_station
from netevents.db import utcnow
from netevents.extensions import db

_nonces = itertools.count(1)


def nonce() -> str:
    return f"n-{next(_nonces)}"


class Door:
    """A paired station of an event, and a way to scan with it through HTTP."""

    def __init__(self, client, event, name="Door A"):
        self.client = client
        self.event = event
        station = create_station(event.id, event.owner, name)
        self.code = station.pairing_code
        db.session.commit()
        self.station, token = pair_station(self.code)
        db.session.commit()
        self.headers = {"Authorization": f"Bearer {token}"}

    def scan(self, qr, **fields):
        body = {"qr": qr, "nonce": fields.pop("nonce", None) or nonce(), **fields}
        return self.client.post("/api/v1/checkins", json=body, headers=self.headers)

    def batch(self, scans):
        return self.client.post("/api/v1/checkins/batch", json={"scans": scans}, headers=self.headers)


def badge(registration) -> str:
    return f"http://testserver/b/{registration.badge_secret}"


@pytest.fixture
def event_now(make):
    """A published meetup happening right now, so check-in is open."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    return make.event(starts_at=start, ends_at=start + timedelta(hours=3))


@pytest.fixture
def door(client, event_now):
    return Door(client, event_now)


def new_poster(client, make, event, name="Main entrance") -> dict:
    """A poster of `event`, made by its owner through HTTP: the printable answer (poster, secret, url, qr_svg)."""
    made = client.post(f"/api/v1/events/{event.id}/posters", headers=make.token(event.owner), json={"name": name})
    assert made.status_code == 201, made.json
    return made.json


def check_in_self(client, headers, qr, **fields):
    """An attendee scanning a poster's QR code with their own phone."""
    body = {"qr": qr, "nonce": fields.pop("nonce", None) or nonce(), **fields}
    return client.post("/api/v1/checkins/self", json=body, headers=headers)
