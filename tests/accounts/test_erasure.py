"""`DELETE /api/v1/me` erases everything that is the person's, everywhere: their profile and registrations, the
answers the ledger stored for scans of their badge, their exchanges, connections and blocks, and every email to
them or sent by them. What stays are anonymous counts: the event's scans, without anyone's name on them."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.checkin.models import Scan
from netevents.db import utcnow
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail
from tests.checkin.conftest import Door
from tests.people.conftest import Phone

ADA = {
    "name": "Ada Lovelace",
    "email": "ada.lovelace@example.org",
    "headline": "Analytical engines",
    "company": "Babbage and Daughters",
}


def everything_stored() -> str:
    """Every value of every row of every table, as text (JSON answers and email bodies included)."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            for value in row:
                parts.append(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    return "\n".join(parts)


@pytest.fixture
def meetup(make):
    """A published meetup that started half an hour ago: the door and the room are open."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    return make.event(starts_at=start, ends_at=start + timedelta(hours=3))


@pytest.fixture
def ada_everywhere(client, make, meetup):
    """Ada registered, was scanned in at the door, met Bob (both ways), blocked Mallory, was mailed."""
    door = Door(client, meetup)
    ada = make.registration(meetup, **ADA)
    bob = make.registration(meetup, name="Bob Builder", email="bob@example.org")
    mallory = make.registration(meetup, name="Mallory", email="mallory@example.org").user
    scanned = door.scan(f"http://testserver/b/{ada.badge_secret}", nonce="door-1")
    assert scanned.json["result"] == "accepted" and scanned.json["attendee"]["name"] == ADA["name"]
    ada_phone, bob_phone = Phone(client, make, ada), Phone(client, make, bob)
    assert ada_phone.exchange(bob, nonce="ada-1", note="Talk about looms").json["result"] == "recorded"
    assert bob_phone.exchange(ada, nonce="bob-1", note="Ada knows engines").json["result"] == "recorded"
    assert client.post("/api/v1/me/blocks", headers=ada_phone.headers, json={"user_id": mallory.id}).status_code == 201
    return door, ada_phone, bob_phone


def test_nothing_of_the_person_is_left_anywhere(client, ada_everywhere, meetup):
    _door, ada_phone, _bob = ada_everywhere
    stored = everything_stored()
    assert all(value in stored for value in ADA.values())  # the check below can see her
    scans = db.session.scalar(select(func.count()).select_from(Scan).where(Scan.event_id == meetup.id))

    assert client.delete("/api/v1/me", headers=ada_phone.headers).status_code == 204

    stored = everything_stored()
    for value in ADA.values():
        assert value not in stored
    assert "Talk about looms" not in stored  # her private note
    # Anonymous counts remain: the door's scan is still in the event's log.
    assert db.session.scalar(select(func.count()).select_from(Scan).where(Scan.event_id == meetup.id)) == scans


def test_a_door_sending_an_old_scan_again_hears_nothing_of_her(client, ada_everywhere):
    door, ada_phone, _bob = ada_everywhere
    badge = f"http://testserver/b/{ada_phone.registration.badge_secret}"  # what the door's phone still holds
    client.delete("/api/v1/me", headers=ada_phone.headers)
    again = door.scan(badge, nonce="door-1")  # the same scan again: the first answer
    assert again.status_code == 200
    assert again.json["attendee"] is None and again.json["registration_id"] is None
    assert "Ada" not in again.json["message"] and again.json["message"] == "This person has deleted their account."


def test_others_stop_seeing_her(client, ada_everywhere, meetup):
    _door, ada_phone, bob_phone = ada_everywhere
    assert [c["other"]["name"] for c in bob_phone.connections()] == [ADA["name"]]
    badge = f"http://testserver/b/{ada_phone.registration.badge_secret}"  # what Bob's phone still holds
    client.delete("/api/v1/me", headers=ada_phone.headers)
    assert bob_phone.connections() == []
    # Bob's phone sending its old exchange again gets its first answer, without her.
    again = bob_phone.exchange(badge, nonce="bob-1")
    assert again.status_code == 200 and again.json["connection"] is None
    directory = bob_phone.get(f"/api/v1/events/{meetup.id}/directory")
    assert ADA["name"] not in str(directory.json)


def test_her_outbox_rows_go_and_others_stay(client, make, ada_everywhere):
    _door, ada_phone, _bob = ada_everywhere
    to = select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.to_address == ADA["email"])
    others = select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.to_address != ADA["email"])
    assert db.session.scalar(to) >= 1
    before = db.session.scalar(others)
    client.delete("/api/v1/me", headers=ada_phone.headers)
    assert db.session.scalar(to) == 0
    assert db.session.scalar(others) == before


def test_a_refused_deletion_erases_nothing(client, make, ada_everywhere):
    _door, ada_phone, _bob = ada_everywhere
    ada_id = client.get("/api/v1/me", headers=ada_phone.headers).json["id"]
    make.event(owner=db.session.get(User, ada_id))  # she now owns an event
    before = everything_stored()
    refused = client.delete("/api/v1/me", headers=ada_phone.headers)
    assert refused.status_code == 409 and refused.json["reason"] == "owns_events"
    assert everything_stored() == before
