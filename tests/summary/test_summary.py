"""The "people you met" summary: who I met at the event (both ways), as they share it now, my notes, my bingo."""

from sqlalchemy import event as sa_event

from netevents.accounts.models import Visibility
from netevents.db import utcnow
from netevents.extensions import db
from tests.bingo.conftest import NINE_ACTIONS, Organizer, Player, event_now  # noqa: F401  (fixtures)


def _summary(player, event):
    response = player.get(f"/api/v1/events/{event.id}/summary")
    assert response.status_code == 200, response.json
    return response.json


def _phone(client, make, event, name, **profile):
    email = f"{name.replace(' ', '.').lower()}@example.org"
    return Player(client, make, make.registration(event, name=name, email=email, **profile))


def test_everyone_met_either_way_with_my_notes_and_what_they_share(client, make, event_now):  # noqa: F811
    ada = _phone(client, make, event_now, "Ada Lovelace")
    bob = _phone(client, make, event_now, "Bob Builder", company="Cranes")
    cy = _phone(client, make, event_now, "Cy Young", company="Hidden Inc")
    _phone(client, make, event_now, "Dan Dorman")  # never met
    ada.exchange(bob.registration, note="Ask about cranes", actions=["asked_advice"])
    cy.exchange(ada.registration, note="Cy's own note")  # Cy scanned Ada: Ada met Cy too
    cy.user.company_visibility = Visibility.nobody
    ada.registration.checked_in_at = utcnow()
    db.session.commit()

    summary = _summary(ada, event_now)

    assert summary["attended"] is True
    assert summary["bingo"] is None  # no round played
    met = {connection["other"]["name"]: connection for connection in summary["met"]}
    assert set(met) == {"Bob Builder", "Cy Young"}
    assert met["Bob Builder"]["note"] == "Ask about cranes"
    assert met["Bob Builder"]["tags"] == ["asked_advice"]
    assert met["Bob Builder"]["other"]["company"] == "Cranes"
    assert met["Cy Young"]["scanned_me"] is True and met["Cy Young"]["i_scanned"] is False
    assert met["Cy Young"]["other"]["company"] is None  # Cy's choice now, not at the time of the meeting
    assert met["Cy Young"]["note"] == ""  # Cy's note is Cy's
    assert _summary(bob, event_now)["attended"] is False


def test_my_bingo_result_is_in_it(client, make, event_now):  # noqa: F811
    organizer = Organizer(client, make.token(event_now.owner), event_now)
    organizer.start_round(actions=NINE_ACTIONS, size=3)
    ada = _phone(client, make, event_now, "Ada Lovelace")
    bob = _phone(client, make, event_now, "Bob Builder")
    ada.sign(bob, "introduced")

    bingo = _summary(ada, event_now)["bingo"]

    assert bingo["squares_signed"] == 1
    assert [square["signed_by"]["name"] for square in bingo["squares"] if square["signed"]] == ["Bob Builder"]


def test_only_people_registered_for_the_event_have_one(client, make, event_now):  # noqa: F811
    path = f"/api/v1/events/{event_now.id}/summary"
    assert client.get(path).status_code == 401
    stranger = make.token(make.user(email="stranger@example.org"))
    assert client.get(path, headers=stranger).status_code == 403
    assert client.get(path, headers=make.token(event_now.owner)).status_code == 403  # organizers see the network


def test_a_fixed_number_of_queries_however_many_people_i_met(client, make, event_now):  # noqa: F811
    organizer = Organizer(client, make.token(event_now.owner), event_now)
    organizer.start_round(actions=NINE_ACTIONS, size=3)
    ada = _phone(client, make, event_now, "Ada Lovelace")
    people = [_phone(client, make, event_now, f"Person {i:03}") for i in range(40)]
    statements: list[str] = []

    def count(*_args):
        statements.append("")

    def queries_after_meeting(how_many: int) -> int:
        for person in people[:how_many]:
            if not any(c["other"]["name"] == person.user.name for c in _summary(ada, event_now)["met"]):
                ada.sign(person, "introduced") if how_many == 1 else ada.exchange(person.registration)
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            summary = _summary(ada, event_now)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert len(summary["met"]) == how_many
        return len(statements)

    assert queries_after_meeting(1) == queries_after_meeting(40)


def test_three_people_i_did_not_meet_but_should(client, make, event_now):  # noqa: F811
    ada = _phone(client, make, event_now, "Ada Lovelace")
    others = [_phone(client, make, event_now, f"Person {i}") for i in range(5)]
    for person in [ada, *others]:
        person.user.directory_opt_in = True
        person.user.topics = ["Kubernetes"]
    db.session.commit()
    ada.exchange(others[0].registration)  # met: never suggested

    suggested = _summary(ada, event_now)["suggested"]

    assert len(suggested) == 3
    assert "Person 0" not in [s["person"]["name"] for s in suggested]
    assert all("Kubernetes" in s["reason"] for s in suggested)
