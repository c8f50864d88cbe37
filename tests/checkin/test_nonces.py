"""A nonce names one scan: sent again for the same badge it gets the first answer, for another badge or direction
it is refused (nobody is welcomed under somebody else's answer)."""

from sqlalchemy import func, select

from netevents.checkin.models import Scan
from netevents.extensions import db
from tests.checkin.conftest import badge


def scans() -> int:
    return db.session.scalar(select(func.count()).select_from(Scan))


def test_a_nonce_reused_for_another_badge_is_409_and_changes_nothing(door, make):
    ada, bob = make.registration(door.event, name="Ada"), make.registration(door.event, name="Bob")
    first = door.scan(badge(ada), nonce="n-1").json
    assert first["result"] == "accepted"
    reused = door.scan(badge(bob), nonce="n-1")
    assert reused.status_code == 409 and reused.json["reason"] == "nonce_reused"
    assert "nonce" in reused.json["errors"] and "Ada" not in reused.get_data(as_text=True)
    assert door.scan(badge(ada), nonce="n-1", direction="exit").json["reason"] == "nonce_reused"
    db.session.refresh(bob)
    assert bob.checked_in_at is None and scans() == 1
    # The same badge resent, as its URL or as its bare secret, is the same scan: the first answer.
    assert door.scan(badge(ada), nonce="n-1").json == first
    assert door.scan(ada.badge_secret, nonce="n-1").json == first


def test_in_a_batch_the_reused_nonce_alone_is_refused(door, make):
    ada, bob, cy = (make.registration(door.event, name=name) for name in ("Ada", "Bob", "Cy"))
    door.scan(badge(ada), nonce="offline-1")
    results = door.batch([{"qr": badge(bob), "nonce": "offline-1"}, {"qr": badge(cy), "nonce": "offline-2"}]).json[
        "results"
    ]
    assert [(r["nonce"], r["result"], r["reason"]) for r in results] == [
        ("offline-1", "rejected", "nonce_reused"),
        ("offline-2", "accepted", None),
    ]
    assert results[0]["id"] is None and results[0]["attendee"] is None  # not applied, and nothing of Ada
    db.session.refresh(bob)
    assert bob.checked_in_at is None and scans() == 2


def test_a_nonce_used_twice_in_one_batch_for_two_badges_applies_the_first(door, make):
    ada, bob = make.registration(door.event, name="Ada"), make.registration(door.event, name="Bob")
    results = door.batch([{"qr": badge(ada), "nonce": "dup"}, {"qr": badge(bob), "nonce": "dup"}]).json["results"]
    assert [r["reason"] for r in results] == [None, "nonce_reused"]
    assert scans() == 1
