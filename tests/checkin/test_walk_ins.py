"""Walk-ins: a retried walk-in is answered as the first time; someone registered already is pointed to their
registration, to check them in instead."""

from sqlalchemy import func, select

from netevents.checkin.models import Scan
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.mail.allowance import LIMITS, Allowance
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.registrations.models import Registration
from tests.checkin.conftest import badge, nonce
from tests.mail.reading import recipient


def walk_in(door, **body):
    return door.client.post(f"/api/v1/events/{door.event.id}/walk-ins", headers=door.headers, json=body)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_walk_in_sent_again_with_its_nonce_gets_the_first_answer(door, outbox):
    body = {"name": "Walter Walkin", "email": "walter@example.org", "nonce": "walk-in-7"}
    first = walk_in(door, **body)
    assert first.status_code == 201 and first.json["checkin"]["result"] == "accepted"
    again = walk_in(door, **body)  # the answer was lost on the way: the door sends it again
    assert again.status_code == 201
    assert again.json["registration"]["id"] == first.json["registration"]["id"]
    assert again.json["checkin"] == first.json["checkin"]
    assert (count(Registration), count(Scan)) == (1, 1)
    assert [recipient(m) for m in outbox()].count("walter@example.org") == 1
    # The same nonce for somebody else is another walk-in under a used nonce.
    other = walk_in(door, name="Olga Other", email="olga@example.org", nonce="walk-in-7")
    assert other.status_code == 409 and other.json["reason"] == "nonce_reused"
    assert count(Registration) == 1


def test_walk_in_nonces_never_meet_scan_nonces(door, make):
    ada = make.registration(door.event, name="Ada")
    assert door.scan(badge(ada), nonce="same").json["result"] == "accepted"
    walked = walk_in(door, name="Walter Walkin", email="walter@example.org", nonce="same")
    assert walked.status_code == 201 and walked.json["checkin"]["result"] == "accepted"


def test_someone_registered_already_gets_409_with_their_registration_to_check_them_in(door, make):
    ada = make.registration(door.event, name="Ada Lovelace", email="ada@example.org")
    refused = walk_in(door, name="Ada L.", email="ADA@example.org", nonce=nonce())
    assert refused.status_code == 409 and refused.json["reason"] == "already_registered"
    assert refused.json["registration_id"] == ada.id and "email" in refused.json["errors"]
    assert "Ada Lovelace" in refused.json["detail"]
    assert count(LedgerEntry) == 0  # refused whole: nothing recorded, so the nonce is still free
    checked_in = door.client.post(
        "/api/v1/checkins",
        headers=door.headers,
        json={"registration_id": refused.json["registration_id"], "nonce": nonce()},
    )
    assert checked_in.json["result"] == "accepted" and checked_in.json["registration_id"] == ada.id


def test_a_walk_in_without_a_nonce_gets_a_random_one_with_nothing_of_the_badge(door):
    first = walk_in(door, name="Walter Walkin", email="walter@example.org").json
    second = walk_in(door, name="Wanda Walkin", email="wanda@example.org").json
    nonces = [first["checkin"]["nonce"], second["checkin"]["nonce"]]
    assert nonces[0] != nonces[1]
    for answer, scan_nonce in zip((first, second), nonces, strict=True):
        secret = answer["registration"]["badge_url"].rsplit("/", 1)[1]
        assert not any(secret[i : i + 4] in scan_nonce for i in range(len(secret) - 3))
    # Sent again without a nonce, a walk-in is a new request: the person is registered already.
    again = walk_in(door, name="Walter Walkin", email="walter@example.org")
    assert again.status_code == 409 and again.json["registration_id"] == first["registration"]["id"]


def test_walk_in_badges_count_against_the_event_owners_email_allowance(door, outbox):
    """Each walk-in email carries the organizer's event title to an address they typed: it is counted like any
    email one person's request sends to another, on the owner's allowance when a station registers them. Past
    it, the person at the door is still registered and let in; only the email is not sent."""
    owner = door.event.owner
    limit = LIMITS[Allowance.walk_in].new_per_event  # the owner's account is less than a day old
    db.session.add_all(
        OutgoingEmail(
            to_address=f"earlier{n}@example.org",
            subject="Registered",
            message=b"",
            sender_id=owner.id,
            event_id=door.event.id,
            allowance=Allowance.walk_in,
            status=MailStatus.sent,  # sent earlier: a worker has nothing to deliver
        )
        for n in range(limit - 1)
    )
    db.session.commit()
    emails = select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.sender_id == owner.id)

    last = walk_in(door, name="Last One", email="last@example.org")
    assert last.status_code == 201, last.json
    assert db.session.scalar(emails) == limit

    past = walk_in(door, name="One Too Many", email="toomany@example.org")
    assert past.status_code == 201 and past.json["checkin"]["result"] == "accepted", past.json
    assert db.session.scalar(emails) == limit
    assert "toomany@example.org" not in [recipient(m) for m in outbox()]


def test_walk_ins_are_counted_in_the_attendance(door, make):
    make.registration(door.event, name="Ada Lovelace")
    assert walk_in(door, name="Walter Walkin", email="walter@example.org").status_code == 201
    figures = door.client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json
    assert (figures["registered"], figures["checked_in"], figures["walk_ins"]) == (2, 1, 1)
