"""The owner alone cancels, deletes and manages organizers; co-organizers do what their invitation says: edit and
publish the event, see and check in its attendees, set up its door."""

import re

import pytest

from netevents.events.models import Event, EventOrganizer, EventStatus
from netevents.extensions import db
from netevents.people.blocks import block
from tests.mail.reading import plain_text, recipient


@pytest.fixture
def team(client, make, outbox):
    """An event of Olivia's with Cora as co-organizer, signed in through the invitation's link."""
    event = make.event(owner=make.user(name="Olivia Owner"), status=EventStatus.draft)
    owner = make.token(event.owner)
    assert (
        client.post(
            f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": "cora@example.org"}
        ).status_code
        == 201
    )
    [invitation] = [m for m in outbox() if recipient(m) == "cora@example.org"]
    code = re.search(r"/signin#code=(\S+)&next=", plain_text(invitation)).group(1)
    token = client.post("/api/v1/auth/magic-link/redeem", json={"code": code}).json["token"]
    return event, owner, {"Authorization": f"Bearer {token}"}, plain_text(invitation)


def assert_owner_only(response, what):
    assert response.status_code == 403, response.json
    assert response.json["reason"] == "owner_only"
    assert f"Only the event's owner, Olivia Owner, can {what}" in response.json["detail"]


def assert_only_owner_removes_others(response):
    """A co-organizer may leave (remove themselves), so the refusal says so rather than "only the owner"."""
    assert response.status_code == 403, response.json
    assert response.json["reason"] == "owner_only"
    assert response.json["detail"].startswith("Only the owner removes other organizers; you can remove yourself.")
    assert "Olivia Owner" in response.json["detail"]


def test_the_invitation_says_what_a_co_organizer_can_do_and_what_only_the_owner_can(team):
    *_, invitation = team
    text = " ".join(invitation.split())
    assert "You can edit and publish the event, see and check in its attendees, and set up its door stations." in text
    assert "Only its owner, Olivia Owner, can cancel or delete it and add or remove organizers." in text


def test_a_co_organizer_edits_publishes_sees_attendees_and_sets_up_the_door(client, team):
    event, _, cora, _ = team
    edited = client.patch(f"/api/v1/events/{event.id}", headers=cora, json={"title": "By Cora", "status": "published"})
    assert edited.status_code == 200 and edited.json["status"] == "published"
    assert client.get(f"/api/v1/events/{event.id}/registrations", headers=cora).status_code == 200
    assert client.post(f"/api/v1/events/{event.id}/stations", headers=cora, json={"name": "Door A"}).status_code == 201


def test_a_co_organizer_cannot_cancel_the_event(client, team, outbox):
    event, _, cora, _ = team
    client.patch(f"/api/v1/events/{event.id}", headers=cora, json={"status": "published"})
    assert_owner_only(
        client.patch(f"/api/v1/events/{event.id}", headers=cora, json={"status": "cancelled"}), "cancel it"
    )
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.published


def test_a_co_organizer_cannot_delete_the_event(client, team):
    event, _, cora, _ = team
    assert_owner_only(client.delete(f"/api/v1/events/{event.id}", headers=cora), "delete it")
    assert db.session.get(Event, event.id) is not None


def test_a_co_organizer_cannot_add_or_remove_organizers(client, make, team, outbox):
    event, owner, cora, _ = team
    sent = len(outbox())
    added = client.post(f"/api/v1/events/{event.id}/organizers", headers=cora, json={"email": "friend@example.org"})
    assert_owner_only(added, "add organizers")
    assert len(outbox()) == sent
    second = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": "sam@example.org"})
    removed = client.delete(f"/api/v1/events/{event.id}/organizers/{second.json['user_id']}", headers=cora)
    assert_only_owner_removes_others(removed)
    removing_owner = client.delete(f"/api/v1/events/{event.id}/organizers/{event.owner.id}", headers=cora)
    assert_only_owner_removes_others(removing_owner)
    assert db.session.query(EventOrganizer).filter_by(event_id=event.id).count() == 3


def test_a_co_organizer_may_step_down(client, team):
    event, _, cora, _ = team
    me = client.get("/api/v1/me", headers=cora).json["id"]
    assert client.delete(f"/api/v1/events/{event.id}/organizers/{me}", headers=cora).status_code == 204
    assert (
        client.patch(f"/api/v1/events/{event.id}", headers=cora, json={"title": "x"}).status_code == 404
    )  # a draft: hidden


def test_the_owner_cancels_deletes_and_manages_organizers(client, team):
    event, owner, _, _ = team
    added = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": "sam@example.org"})
    assert added.status_code == 201
    assert (
        client.delete(f"/api/v1/events/{event.id}/organizers/{added.json['user_id']}", headers=owner).status_code == 204
    )
    assert client.patch(f"/api/v1/events/{event.id}", headers=owner, json={"status": "cancelled"}).status_code == 200
    assert client.delete(f"/api/v1/events/{event.id}", headers=owner).status_code == 204


def test_adding_someone_who_organizes_already_is_409_even_with_the_invitations_spent(client, team, outbox):
    event, owner, _, _ = team
    spent = None
    for n in range(60):  # a new account's allowance for the event is a few invitations a day
        answer = client.post(
            f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": f"s{n}@example.org"}
        )
        if answer.status_code == 429:
            spent = answer
            break
        assert answer.status_code == 201, answer.json
    assert spent is not None and spent.json["reason"] == "too_many_emails"
    sent = len(outbox())
    for email in ("cora@example.org", "CORA@Example.org", "s0@example.org", event.owner.email):
        again = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": email})
        assert again.status_code == 409, (email, again.json)
        assert again.json["reason"] == "already_organizer" and "email" in again.json["errors"]
    assert len(outbox()) == sent


def test_nobody_is_made_co_organizer_by_a_person_they_blocked(client, make, outbox):
    olivia = make.user(name="Olivia Owner", email="olivia@example.org")
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event(owner=olivia)
    owner = make.token(olivia)
    block(ada, olivia.id)
    db.session.commit()

    refused = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": "ada@example.org"})
    assert refused.status_code == 409 and refused.json["reason"] == "cannot_add_organizer", refused.json
    assert "block" not in refused.json["detail"].lower() and "email" in refused.json["errors"]
    assert [m for m in outbox() if recipient(m) == "ada@example.org"] == []

    block(olivia, make.user(name="Bob Builder", email="bob@example.org").id)
    db.session.commit()
    own_block = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner, json={"email": "bob@example.org"})
    assert own_block.status_code == 409 and "You blocked this person" in own_block.json["detail"]
    db.session.expire_all()
    assert [o.user_id for o in db.session.get(Event, event.id).organizers] == [olivia.id]
