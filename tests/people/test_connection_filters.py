"""My connections, filtered: by follow-up, the same filters for the vCard and CSV downloads as for the list, and the
events where I met people (what the list's event filter offers)."""

import csv
import io

import vobject

from tests.people.conftest import Phone


def _names_in_vcards(phone, **query) -> list[str]:
    response = phone.get("/api/v1/me/connections.vcf", query_string=query)
    assert response.status_code == 200, response.json
    return sorted(card.fn.value for card in vobject.readComponents(response.get_data(as_text=True)))


def _names_in_csv(phone, **query) -> list[str]:
    response = phone.get("/api/v1/me/connections.csv", query_string=query)
    assert response.status_code == 200, response.json
    return sorted(row["name"] for row in csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_followed_up_or_not_yet(client, room):
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Cranes")
    bob_id = ada.exchange(bob.registration).json["connection_id"]
    ada.exchange(carol.registration)
    client.patch(f"/api/v1/me/connections/{bob_id}", headers=ada.headers, json={"followed_up": True})
    assert [c["other"]["name"] for c in ada.connections(followed_up="true")] == ["Bob Builder"]
    assert [c["other"]["name"] for c in ada.connections(followed_up="false")] == ["Carol Cranes"]
    assert len(ada.connections()) == 2
    assert [c["other"]["name"] for c in bob.connections(followed_up="false")] == ["Ada Lovelace"]  # mine, not his
    for value in ("yes", "1", "", "TRUE"):
        response = ada.get("/api/v1/me/connections", query_string={"followed_up": value})
        assert response.status_code == 422 and "followed_up" in response.json["errors"], (value, response.json)


def test_the_downloads_keep_what_the_list_filters_keep(client, make, room):
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Cranes", company="Acme")
    bob_id = ada.exchange(bob.registration).json["connection_id"]
    ada.exchange(carol.registration)
    other_event = make.event(starts_at=room["event"].starts_at, ends_at=room["event"].ends_at)
    dan = Phone(client, make, make.registration(other_event, name="Dan Dataflow"))
    dan.exchange(make.registration(other_event, name="Ada Lovelace", email=ada.user.email))
    client.patch(f"/api/v1/me/connections/{bob_id}", headers=ada.headers, json={"followed_up": True})

    everyone = ["Bob Builder", "Carol Cranes", "Dan Dataflow"]
    assert _names_in_vcards(ada) == everyone and _names_in_csv(ada) == everyone
    for query, names in (
        ({"event_id": room["event"].id}, ["Bob Builder", "Carol Cranes"]),
        ({"event_id": other_event.id}, ["Dan Dataflow"]),
        ({"q": "acme"}, ["Carol Cranes"]),
        ({"followed_up": "true"}, ["Bob Builder"]),
        ({"followed_up": "false", "event_id": room["event"].id}, ["Carol Cranes"]),
        ({"q": "nobody by that name"}, []),
    ):
        assert _names_in_vcards(ada, **query) == names, query
        assert _names_in_csv(ada, **query) == names, query
        assert sorted(c["other"]["name"] for c in ada.connections(**query)) == names, query

    for path in ("/api/v1/me/connections.vcf", "/api/v1/me/connections.csv"):
        for query, field in (
            ({"event_id": "0"}, "event_id"),
            ({"event_id": "x"}, "event_id"),
            ({"event_id": str(2**40)}, "event_id"),
            ({"q": "x" * 101}, "q"),
            ({"followed_up": "maybe"}, "followed_up"),
        ):
            response = ada.get(path, query_string=query)
            assert response.status_code == 422, (path, query, response.status_code)
            assert field in response.json["errors"], (path, query, response.json)
    # Someone else's event names nobody in my list: an empty file, not an error, and nothing of theirs.
    assert _names_in_vcards(bob, event_id=other_event.id) == []


def test_the_events_where_i_met_people_with_counts(client, make, room):
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Cranes")
    url = "/api/v1/me/connections/events"
    assert ada.get(url).json == {"items": []}

    bob_id = ada.exchange(bob.registration).json["connection_id"]
    ada.exchange(bob.registration)  # meeting again counts him once
    carol.exchange(ada.registration)  # scanned by her: she is in my list too
    later = make.event(
        title="Second Meetup", starts_at=room["event"].starts_at, ends_at=room["event"].ends_at, timezone="Asia/Tokyo"
    )
    ada_later = make.registration(later, name="Ada Lovelace", email=ada.user.email)
    bob_later = make.registration(later, name="Bob Builder", email=bob.user.email)
    bob.exchange(ada_later)
    assert bob_later.user_id == bob.user.id
    client.patch(f"/api/v1/me/connections/{bob_id}", headers=ada.headers, json={"followed_up": True})

    events = ada.get(url).json["items"]
    assert [(e["event_id"], e["title"], e["connections"], e["followed_up"]) for e in events] == [
        (later.id, "Second Meetup", 1, 1),  # the latest meeting first
        (room["event"].id, room["event"].title, 2, 1),
    ]
    assert events[0]["timezone"] == "Asia/Tokyo" and events[0]["starts_at"].endswith("+00:00")
    assert events[0]["last_met_at"] >= events[1]["last_met_at"]
    assert [e["connections"] for e in bob.get(url).json["items"]] == [1, 1]  # Bob's own list: Ada at both

    # Whoever leaves my list leaves the counts: a removal, a block.
    assert client.delete(f"/api/v1/me/connections/{bob_id}", headers=ada.headers).status_code == 204
    assert [(e["event_id"], e["connections"], e["followed_up"]) for e in ada.get(url).json["items"]] == [
        (room["event"].id, 1, 0)
    ]
    client.post("/api/v1/me/blocks", headers=carol.headers, json={"user_id": ada.user.id})
    assert ada.get(url).json == {"items": []}
    assert [e["connections"] for e in bob.get(url).json["items"]] == [1, 1]  # removed on my side only

    stranger = make.user()
    assert client.get(url, headers=make.token(stranger)).json == {"items": []}
    assert client.get(url).status_code == 401
