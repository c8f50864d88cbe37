"""A scan is one transaction of the request's own session, committed once by the route, whoever scans:
a station, an organizer, or the door registering a walk-in. The door's only limit is its unknown-badge budget."""

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from netevents import create_app
from netevents.config import TestConfig as AppTestConfig
from netevents.extensions import db, limiter
from tests.checkin.conftest import badge, nonce


@pytest.fixture
def session_events():
    """The ORM session transactions begun and committed (any session) while the test runs."""
    seen = {"begin": 0, "commit": 0}

    def began(*_args):
        seen["begin"] += 1

    def committed(*_args):
        seen["commit"] += 1

    sa_event.listen(Session, "after_begin", began)
    sa_event.listen(Session, "after_commit", committed)
    yield seen
    sa_event.remove(Session, "after_begin", began)
    sa_event.remove(Session, "after_commit", committed)


def test_each_scan_request_is_one_session_transaction_committed_once(door, make, session_events):
    ada, grace = badge(make.registration(door.event)), badge(make.registration(door.event))
    db.session.commit()
    session_events.update(begin=0, commit=0)
    first = door.scan(ada, nonce="same")
    again = door.scan(ada, nonce="same")
    batch = door.batch([{"qr": grace, "nonce": nonce()}, {"qr": ada, "nonce": nonce()}])
    assert first.json["result"] == "accepted" and again.json == first.json
    assert [answer["result"] for answer in batch.json["results"]] == ["accepted", "rejected"]
    assert session_events == {"begin": 3, "commit": 3}


def test_an_organizer_scan_and_a_walk_in_work_in_the_same_session(client, door, make):
    headers = make.token(door.event.owner)
    ada = make.registration(door.event)
    scanned = client.post(
        "/api/v1/checkins", headers=headers, json={"qr": badge(ada), "nonce": nonce(), "event_id": door.event.id}
    )
    walk_in = client.post(
        f"/api/v1/events/{door.event.id}/walk-ins",
        headers=door.headers,
        json={"name": "Walk In", "email": "walk-in@example.org"},
    )
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


def test_known_badges_are_never_limited_while_other_endpoints_are(door, make, limited_client):
    badges = [badge(make.registration(door.event)) for _ in range(70)]
    secret = badges[0].rsplit("/", 1)[1]
    db.session.commit()  # that app's requests have sessions of their own: the test's must not hold the write lock
    statuses = [
        limited_client.post("/api/v1/checkins", headers=door.headers, json={"qr": qr, "nonce": nonce()}).status_code
        for qr in badges
    ]
    assert statuses == [200] * 70
    looked_up = limited_client.get(f"/api/v1/badges/{secret}")
    assert looked_up.status_code == 200 and looked_up.headers["X-RateLimit-Limit"]
