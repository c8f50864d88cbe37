"""A replaced badge (lost, rotated; or a registration made again) is told apart from a QR code we never issued."""

from sqlalchemy import select

from netevents.extensions import db
from netevents.registrations.models import ReplacedBadge
from tests.checkin.conftest import Door, badge


def test_a_rotated_badge_is_refused_as_replaced_and_names_whose_it_was(client, door, make):
    ada = make.registration(door.event, name="Ada Lovelace")
    old_secret = ada.badge_secret
    rotated = client.post(f"/api/v1/registrations/{ada.id}/badge/rotate", headers=make.token(ada.user))
    assert rotated.status_code == 200
    for qr in (f"http://testserver/b/{old_secret}", old_secret):
        answer = door.scan(qr).json
        assert (answer["result"], answer["reason"]) == ("rejected", "badge_replaced")
        assert answer["attendee"]["name"] == "Ada Lovelace" and answer["registration_id"] == ada.id
        assert "new badge" in answer["message"]
    assert door.scan(rotated.json["badge_url"]).json["result"] == "accepted"
    # Only a hash of the old secret is kept: it opens nothing, and it is no credential to leak.
    stored = db.session.scalars(select(ReplacedBadge.secret_hash)).all()
    assert len(stored) == 1 and old_secret not in stored[0]


def test_a_replaced_badge_of_another_event_says_nothing_about_the_person(client, door, make, event_now):
    other = make.event(title="Elsewhere", starts_at=event_now.starts_at, ends_at=event_now.ends_at)
    bob = make.registration(other, name="Bob Stranger")
    old_secret = bob.badge_secret
    client.post(f"/api/v1/registrations/{bob.id}/badge/rotate", headers=make.token(bob.user))
    answer = door.scan(old_secret).json
    assert answer["reason"] == "wrong_event" and answer["attendee"] is None and "Bob" not in str(answer)


def test_a_cancelled_registration_made_again_has_a_new_badge_and_the_old_is_replaced(client, make, event_now):
    ada = make.registration(event_now, name="Ada", email="ada@example.org")
    old_secret = ada.badge_secret
    client.post(f"/api/v1/registrations/{ada.id}/cancel", headers=make.token(ada.user))
    again = make.registration(event_now, name="Ada", email="ada@example.org")
    assert again.id == ada.id and again.badge_secret != old_secret
    door = Door(client, event_now)
    assert door.scan(old_secret).json["reason"] == "badge_replaced"
    assert door.scan(badge(again)).json["result"] == "accepted"
