"""Walk-ins: a retried walk-in is answered as the first time; someone registered already is pointed to their
registration, to check them in instead."""

from datetime import timedelta

from sqlalchemy import func, select

from netevents.accounts.models import Visibility
from netevents.checkin.models import Scan
from netevents.db import utcnow
from netevents.events.models import EventOrganizer, OrganizerRole
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.mail.allowance import LIMITS, Allowance
from netevents.mail.models import MailStatus, OutgoingEmail
from netevents.people.blocks import block
from netevents.registrations.cancelling import cancel_registration
from netevents.registrations.models import Registration
from tests.checkin.conftest import badge, nonce
from tests.mail.reading import plain_text, recipient


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
    assert "Ada" not in refused.json["detail"]  # typing an address at the door does not tell whose it is
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


def test_walk_ins_open_with_check_in_and_a_refusal_names_nobody(client, make, outbox):
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=3))
    dan = make.user(name="Dan Real", email="dan@example.org")
    refused = client.post(
        f"/api/v1/events/{event.id}/walk-ins",
        headers=make.token(event.owner),
        json={"name": "Dan Walk", "email": "dan@example.org"},
    )
    assert refused.status_code == 409 and refused.json["reason"] == "outside_window", refused.json
    assert "Walk-ins open with check-in" in refused.json["detail"]
    assert dan.name not in str(refused.json) and "dan@example.org" not in str(refused.json)
    assert count(Registration) == 0 and outbox() == []


def test_a_walk_in_across_a_block_with_an_organizer_is_refused_and_sends_nothing(client, door, make, outbox):
    owner, cat = door.event.owner, make.user(name="Cat Co", email="cat@example.org")
    door.event.organizers.append(EventOrganizer(user_id=cat.id, role=OrganizerRole.co_organizer))
    dan = make.user(name="Dan Real", email="dan@example.org")
    eve = make.user(name="Eve Else", email="eve@example.org")
    block(dan, cat.id)  # Dan blocked a co-organizer
    block(owner, eve.id)  # the owner blocked Eve
    db.session.commit()
    for headers, email in (
        (make.token(cat), "dan@example.org"),
        (door.headers, "DAN@example.org"),
        (door.headers, "eve@example.org"),
    ):
        refused = client.post(
            f"/api/v1/events/{door.event.id}/walk-ins", headers=headers, json={"name": "Walk", "email": email}
        )
        assert refused.status_code == 422 and refused.json["reason"] == "cannot_register_person", refused.json
        assert "block" not in str(refused.json).lower() and "Real" not in str(refused.json)
    assert count(Registration) == 0 and count(Scan) == 0 and outbox() == []


def test_a_walk_in_of_an_account_answers_with_the_name_typed_at_the_door_and_the_email_says_who(
    client, door, make, outbox
):
    """The door gets back only what it typed: an address does not tell whose account it is. The badge carries the
    typed name, so none of the account's profile details are shown beside it."""
    dan = make.user(name="Dan Real", email="dan@example.org")
    dan.headline, dan.company = "Staff Engineer", "Initech"
    dan.headline_visibility = dan.company_visibility = Visibility.everyone
    registration = make.registration(door.event, email="dan@example.org")
    cancel_registration(registration.id, dan)
    db.session.commit()
    sent_before = len(outbox())  # the registration, its cancellation

    walked = walk_in(door, name="Dan Walk", email="dan@example.org")
    assert walked.status_code == 201 and walked.json["checkin"]["result"] == "accepted", walked.json
    assert walked.json["registration"]["id"] == registration.id  # the cancelled registration, confirmed again
    assert "Dan Real" not in walked.get_data(as_text=True)
    assert walked.json["registration"]["name"] == walked.json["checkin"]["attendee"]["name"] == "Dan Walk"
    secret = walked.json["registration"]["badge_url"].rsplit("/", 1)[1]
    card = client.get(f"/api/v1/badges/{secret}").get_data(as_text=True)
    assert "Dan Walk" in card and "Dan Real" not in card
    assert "Staff Engineer" not in card and "Initech" not in card

    to_dan = [plain_text(m) for m in outbox() if recipient(m) == "dan@example.org"]
    assert len(to_dan) == sent_before + 1  # the walk-in's badge; the station's email goes on the owner's name
    [text] = [t for t in to_dan if f"{door.event.owner.name} registered this address" in t]
    assert f"registered this address for {door.event.title}. Not you, or not wanted?" in text
    assert "/registrations/cancel/" in text


def test_a_walk_in_under_the_accounts_own_name_keeps_their_shared_profile_on_the_badge(client, door, make):
    dan = make.user(name="Dan Real", email="dan@example.org")
    dan.headline, dan.headline_visibility = "Staff Engineer", Visibility.everyone
    db.session.commit()
    walked = walk_in(door, name="Dan Real", email="dan@example.org")
    secret = walked.json["registration"]["badge_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/badges/{secret}").json["headline"] == "Staff Engineer"
