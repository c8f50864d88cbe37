"""Every email one person's request sends to someone else counts against that person's allowance: per event and
for all their events, in the last day; accounts younger than a day get less. A refusal is a 429 in words, with
Retry-After, and sends nothing and changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.events.models import EventOrganizer
from netevents.extensions import db
from netevents.mail.allowance import LIMITS, Allowance
from netevents.mail.models import OutgoingEmail
from netevents.registrations.models import Registration

INVITATIONS = LIMITS[Allowance.invitation]
REGISTRATIONS = LIMITS[Allowance.registration]


def established(user):
    user.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    return user


def invite(client, event, headers, n):
    return client.post(
        f"/api/v1/events/{event.id}/organizers", headers=headers, json={"email": f"stranger{n}@example.org"}
    )


def assert_refused(response, limit, scope):
    assert response.status_code == 429, response.json
    assert response.json["reason"] == "too_many_emails"
    assert f"You can send {limit} " in response.json["detail"] and scope in response.json["detail"]
    assert "Nothing was sent; try again in" in response.json["detail"]
    assert 0 < int(response.headers["Retry-After"]) <= 24 * 3600


def emails_sent_by(user) -> int:
    return db.session.scalar(select(func.count()).select_from(OutgoingEmail).where(OutgoingEmail.sender_id == user.id))


def test_a_new_account_sends_a_few_invitations_per_event(client, make):
    owner = make.user(name="Newcomer")
    event = make.event(owner=owner)
    headers = make.token(owner)
    sent = [invite(client, event, headers, n).status_code for n in range(INVITATIONS.new_per_event)]
    assert sent == [201] * INVITATIONS.new_per_event
    refused = invite(client, event, headers, 99)
    assert_refused(refused, INVITATIONS.new_per_event, "per event while your account is less than a day old")
    assert emails_sent_by(owner) == INVITATIONS.new_per_event
    assert db.session.scalar(select(func.count()).select_from(EventOrganizer)) == 1 + INVITATIONS.new_per_event


def test_a_new_account_sends_a_few_invitations_in_all(client, make):
    owner = make.user(name="Newcomer")
    headers = make.token(owner)
    events = [make.event(owner=owner) for _ in range(3)]
    statuses = [
        invite(client, event, headers, f"{index}-{n}").status_code
        for index, event in enumerate(events)
        for n in range(2)
    ]
    assert statuses.count(201) == INVITATIONS.new_per_sender
    assert_refused(
        invite(client, events[2], headers, "last"), INVITATIONS.new_per_sender, "for all your events together"
    )


def test_an_established_account_gets_more_and_the_window_moves(client, make):
    owner = established(make.user(name="Olivia Organizer"))
    event = make.event(owner=owner)
    headers = make.token(owner)
    statuses = [invite(client, event, headers, n).status_code for n in range(INVITATIONS.per_event + 1)]
    assert statuses == [201] * INVITATIONS.per_event + [429]
    # A day later, those no longer count.
    db.session.execute(
        OutgoingEmail.__table__.update()
        .where(OutgoingEmail.sender_id == owner.id)
        .values(created_at=utcnow() - timedelta(days=1, minutes=1))
    )
    db.session.commit()
    assert invite(client, event, headers, "next-day").status_code == 201


def test_the_limit_is_the_sender_s_not_the_event_s(client, make):
    owner = make.user(name="Newcomer")
    event = make.event(owner=owner)
    for n in range(INVITATIONS.new_per_event):
        assert invite(client, event, make.token(owner), n).status_code == 201
    other = make.event(owner=make.user(name="Someone else"))
    assert invite(client, other, make.token(other.owner), "theirs").status_code == 201


def test_an_import_that_notifies_is_refused_whole_beyond_the_allowance(client, make, outbox):
    owner = make.user(name="Newcomer")
    event = make.event(owner=owner)
    rows = "\n".join(f"person{n}@example.org,Person {n}" for n in range(REGISTRATIONS.new_per_event + 1))
    body = f"email,name\n{rows}\n"
    url = f"/api/v1/events/{event.id}/registrations/import"
    for query in ("?notify=true&dry_run=true", "?notify=true"):
        refused = client.post(url + query, headers=make.token(owner), data=body, content_type="text/csv")
        assert_refused(refused, REGISTRATIONS.new_per_event, "per event")
        assert "this would send" in refused.json["detail"]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0 and outbox() == []
    # Without emails nobody is mailed, and nothing is counted.
    imported = client.post(url + "?notify=false", headers=make.token(owner), data=body, content_type="text/csv")
    assert imported.status_code == 200 and outbox() == []


def test_registering_someone_else_counts_registering_oneself_does_not(client, make):
    person = make.user(name="Newcomer", email="newcomer@example.org")
    headers = make.token(person)
    events = [make.event() for _ in range(2)]
    mine = client.post(f"/api/v1/events/{events[0].id}/registrations", headers=headers, json={})
    assert mine.status_code == 201 and emails_sent_by(person) == 0
    statuses = [
        client.post(
            f"/api/v1/events/{events[1].id}/registrations",
            headers=headers,
            json={"email": f"friend{n}@example.org", "name": f"Friend {n}"},
        ).status_code
        for n in range(REGISTRATIONS.new_per_event + 1)
    ]
    assert statuses == [202] * REGISTRATIONS.new_per_event + [429]
    assert emails_sent_by(person) == REGISTRATIONS.new_per_event


@pytest.mark.parametrize("kind", list(LIMITS))
def test_new_accounts_get_less_than_established_ones(kind):
    limits = LIMITS[kind]
    assert 0 < limits.new_per_event < limits.per_event and 0 < limits.new_per_sender < limits.per_sender
    assert limits.new_per_event <= limits.new_per_sender and limits.per_event <= limits.per_sender
