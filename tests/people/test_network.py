"""An event's network for its organizers: the graph (anonymised to what people share) and the headline numbers."""

import json

from netevents.accounts.models import Visibility
from netevents.db import utcnow
from netevents.extensions import db
from netevents.people.network import ANONYMOUS
from tests.people.conftest import Phone


def _profile(person, **fields):
    for name, value in fields.items():
        setattr(person.user, name, value)
    db.session.commit()


def _attended(*phones):
    for phone in phones:
        phone.registration.checked_in_at = utcnow()
    db.session.commit()


def _network(client, make, event):
    response = client.get(f"/api/v1/events/{event.id}/network", headers=make.token(event.owner))
    assert response.status_code == 200, response.json
    return response.json


def test_the_graph_and_its_numbers(client, make, room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    cy = room["phone"]("Cy Young", company="analytical ")  # Ada's company, written another way
    room["phone"]("Dan Dorman")  # came to nobody: an isolated dot
    _profile(ada, directory_opt_in=True, topics=["Kubernetes", "Rust"])
    _profile(bob, directory_opt_in=True, topics=["kubernetes"])
    _profile(cy, company_visibility=Visibility.nobody)
    _attended(ada, bob, cy)
    assert ada.exchange(bob.registration).status_code == 200
    assert bob.exchange(ada.registration).status_code == 200  # the same pair again: one line, two meetings
    assert cy.exchange(bob.registration).status_code == 200
    assert cy.exchange(ada.registration).status_code == 200

    network = _network(client, make, event)

    dots = {dot["name"]: dot for dot in network["dots"] if dot["name"] != ANONYMOUS}
    assert set(dots) == {"Ada Lovelace", "Bob Builder"}  # Cy and Dan are not in the directory
    assert dots["Ada Lovelace"]["topics"] == ["Kubernetes", "Rust"]
    assert dots["Bob Builder"]["company"] == "Cranes"
    assert len(network["dots"]) == 4
    anonymous = [dot for dot in network["dots"] if dot["name"] == ANONYMOUS]
    assert sorted(dot["degree"] for dot in anonymous) == [0, 2]
    assert all(dot["company"] is None and dot["topics"] is None for dot in anonymous)  # Cy shares it with nobody
    ada_key, bob_key = dots["Ada Lovelace"]["key"], dots["Bob Builder"]["key"]
    lines = {frozenset((line["source"], line["target"])): line for line in network["lines"]}
    assert len(lines) == 3
    assert lines[frozenset((ada_key, bob_key))] | {"source": 0, "target": 0} == {
        "source": 0,
        "target": 0,
        "meetings": 2,
        "new": True,
        "cross_company": True,
    }
    # Cy hides her company (Ada's): her lines say nothing of it, not even "same company as Ada".
    cy_key = next(dot["key"] for dot in anonymous if dot["degree"] == 2)
    assert lines[frozenset((cy_key, ada_key))]["cross_company"] is None
    assert lines[frozenset((cy_key, bob_key))]["cross_company"] is None
    assert network["numbers"] == {
        "registered": 4,
        "attended": 3,
        "pairs_met": 3,
        "connections_made": 3,
        "share_with_new_connection": 1.0,
        "cross_company_share": 1.0,  # of the one pair whose companies both show
        "top_topics": [{"topic": "kubernetes", "connections": 1}],
    }


def test_no_contact_detail_and_no_account_id_is_in_the_graph(client, make, room):
    ada, bob = room["ada"], room["bob"]
    _profile(ada, directory_opt_in=True, phone="+49 30 1234567", email_visibility=Visibility.everyone)
    _profile(bob, directory_opt_in=True, links=[{"label": "Site", "url": "https://bob.example.org"}])
    ada.exchange(bob.registration)
    text = json.dumps(_network(client, make, room["event"]))
    for secret in (ada.user.email, bob.user.email, "1234567", "bob.example.org", "user_id"):
        assert secret not in text


def test_people_who_had_met_before_count_as_met_here_not_as_new(client, make, room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    ada.exchange(bob.registration)  # first met at the meetup
    later = make.event(starts_at=event.starts_at, ends_at=event.ends_at)
    ada_there = Phone(client, make, make.registration(later, name="Ada Lovelace", email=ada.user.email))
    bob_there = make.registration(later, name="Bob Builder", email=bob.user.email)
    _attended(ada_there)
    assert ada_there.exchange(bob_there).status_code == 200

    numbers = _network(client, make, later)["numbers"]

    assert (numbers["pairs_met"], numbers["connections_made"], numbers["share_with_new_connection"]) == (1, 0, 0.0)
    assert _network(client, make, event)["numbers"]["connections_made"] == 1


def test_an_event_where_nobody_met_anyone(client, make, event_now):
    network = _network(client, make, event_now)
    assert (network["dots"], network["lines"]) == ([], [])
    assert network["numbers"]["share_with_new_connection"] is None
    assert network["numbers"]["cross_company_share"] is None


def test_only_the_events_organizers_see_it(client, make, room):
    path = f"/api/v1/events/{room['event'].id}/network"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=room["ada"].headers).status_code == 403
    assert client.get(path, headers=make.token(make.user(email="stranger@example.org"))).status_code == 403


def test_cross_company_is_said_only_when_both_companies_show(client, make, room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    cy = room["phone"]("Cy Young", company="Analytical")  # Ada's company
    _profile(cy, company_visibility=Visibility.connections)  # not shared with everyone: not with the organizer
    assert cy.exchange(ada.registration).status_code == 200
    assert cy.exchange(bob.registration).status_code == 200

    hidden = _network(client, make, event)
    assert [line["cross_company"] for line in hidden["lines"]] == [None, None]
    assert hidden["numbers"]["cross_company_share"] is None  # no pair whose two companies show

    _profile(cy, company_visibility=Visibility.everyone)
    shown = _network(client, make, event)
    assert sorted(line["cross_company"] for line in shown["lines"]) == [False, True]
    assert shown["numbers"]["cross_company_share"] == 0.5
