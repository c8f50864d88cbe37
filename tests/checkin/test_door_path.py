"""The door's hot path stays lean: a station's scan runs on a connection of its own, not through the ORM
session, and flask-limiter's app-wide hooks pass it over (the door counts its own guessing budget).
Organizers' scans and walk-ins still go through the session, which their sign-in already began."""

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from netevents import create_app
from netevents.config import TestConfig as AppTestConfig
from netevents.extensions import db, limiter
from tests.checkin.conftest import badge, nonce


@pytest.fixture
def session_transactions():
    """How many ORM session transactions began (any session) while the test ran."""
    began = []

    def count(session, transaction, connection):
        began.append(session)

    sa_event.listen(Session, "after_begin", count)
    yield began
    sa_event.remove(Session, "after_begin", count)


def test_a_station_scan_does_not_use_the_orm_session(door, make, session_transactions):
    ada, grace = badge(make.registration(door.event)), badge(make.registration(door.event))
    db.session.commit()
    session_transactions.clear()
    first = door.scan(ada)
    again = door.scan(ada)
    batch = door.batch([{"qr": grace, "nonce": nonce()}])
    assert first.json["result"] == "accepted" and again.json["reason"] == "already_checked_in"
    assert batch.json["results"][0]["result"] == "accepted"
    assert session_transactions == []


def test_an_organizer_scan_and_a_walk_in_still_work_in_the_session(client, door, make):
    # Both read or write through the session first; on SQLite a door connection of their own would meet the
    # session's write lock in the same thread (and fail: WriterQueueConnection refuses to wait for itself).
    headers = make.token(door.event.owner)
    ada = make.registration(door.event)
    scanned = client.post("/api/v1/checkins", headers=headers,
                          json={"qr": badge(ada), "nonce": nonce(), "event_id": door.event.id})
    walk_in = client.post(f"/api/v1/events/{door.event.id}/walk-ins", headers=door.headers,
                          json={"name": "Walk In", "email": "walk-in@example.org"})
    assert scanned.json["result"] == "accepted"
    assert walk_in.status_code == 201 and walk_in.json["checkin"]["result"] == "accepted"


@pytest.fixture
def limited_client(database_url, instance_path, monkeypatch):
    """A client of an app with rate limiting on (the test app has it off), on the same database."""
    config = AppTestConfig(instance_path, database_url)
    config.RATELIMIT_ENABLED = True
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # the extension object is shared: put it back after
    limited = create_app(config)
    yield limited.test_client()
    with limited.app_context():
        db.engine.dispose()


def test_rate_limit_hooks_pass_over_door_scans_only(door, make, limited_client, monkeypatch):
    ada = make.registration(door.event)
    qr, secret = badge(ada), ada.badge_secret
    db.session.commit()  # that app's requests have sessions of their own: the test's must not hold the write lock
    seen = []
    identify = limiter.identify_request
    monkeypatch.setattr(limiter, "identify_request", lambda: seen.append(1) or identify())
    scanned = limited_client.post("/api/v1/checkins", headers=door.headers, json={"qr": qr, "nonce": nonce()})
    batch = limited_client.post("/api/v1/checkins/batch", headers=door.headers,
                                json={"scans": [{"qr": qr, "nonce": nonce()}]})
    assert scanned.status_code == 200 and batch.status_code == 200
    assert "X-RateLimit-Limit" not in scanned.headers
    assert seen == []
    looked_up = limited_client.get(f"/api/v1/badges/{secret}")
    assert looked_up.status_code == 200 and looked_up.headers["X-RateLimit-Limit"]
    assert seen, "flask-limiter's hooks no longer run for the other endpoints"
