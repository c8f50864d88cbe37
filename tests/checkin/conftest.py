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
