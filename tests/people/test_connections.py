"""My connections: the list, my own note, tags and follow-up, removing one, and blocks."""

from datetime import timedelta

from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.extensions import db
from netevents.people.models import Block, Connection
from tests.people.conftest import Phone, badge


def test_the_list_is_paged_most_recently_met_first(room):
    ada = room["ada"]
    people = [room["phone"](f"Person {i:02}") for i in range(12)]
    base = utcnow().replace(microsecond=0) - timedelta(minutes=25)
    ada.batch(
        [
            {"qr": badge(p.registration), "nonce": f"p{i}", "scanned_at": (base + timedelta(minutes=i)).isoformat()}
            for i, p in enumerate(people)
        ]
    )
    page = ada.get("/api/v1/me/connections", query_string={"per_page": 5, "page": 2}).json
    assert (page["total"], page["pages"], page["page"], page["per_page"]) == (12, 3, 2, 5)
    assert [item["other"]["name"] for item in page["items"]] == [f"Person {i:02}" for i in (6, 5, 4, 3, 2)]
    assert ada.get("/api/v1/me/connections", query_string={"per_page": 101}).status_code == 422


def test_filter_by_event_and_search_what_i_can_see(client, make, room):
    ada, bob = room["ada"], room["bob"]
    ada.exchange(bob.registration)
    other_event = make.event(starts_at=room["event"].starts_at, ends_at=room["event"].ends_at)
    ada_there = make.registration(other_event, name="Ada Lovelace", email=ada.user.email)
    carol = Phone(client, make, make.registration(other_event, name="Carol Cranes", company="Acme"))
    carol.exchange(ada_there)
    assert [c["other"]["name"] for c in ada.connections(event_id=other_event.id)] == ["Carol Cranes"]
    assert [c["other"]["name"] for c in ada.connections(event_id=room["event"].id)] == ["Bob Builder"]
    assert [c["other"]["name"] for c in ada.connections(q="cranes")] == ["Carol Cranes", "Bob Builder"]
    assert [c["other"]["name"] for c in ada.connections(q="ACME")] == ["Carol Cranes"]
    client.patch("/api/v1/me", headers=carol.headers, json={"sharing": {"company": "nobody"}})
    assert ada.connections(q="acme") == []  # her company is hidden from Ada, so it cannot find her either
    assert ada.get("/api/v1/me/connections", query_string={"q": "x" * 101}).status_code == 422


def test_my_note_tags_and_follow_up_are_mine_alone(client, make, room):
    ada, bob = room["ada"], room["bob"]
    connection_id = ada.exchange(bob.registration, actions=["introduced"]).json["connection_id"]
    url = f"/api/v1/me/connections/{connection_id}"
    client.patch(
        f"/api/v1/events/{room['event'].id}/exchange-actions",
        headers=make.token(room["event"].owner),
        json={"custom": ["demoed"]},
    )
    changed = client.patch(
        url,
        headers=ada.headers,
        json={"note": "  Intro to Carol  ", "tags": ["demoed", "mentoring"], "followed_up": True},
    )
    assert changed.status_code == 200, changed.json
    mine = changed.json
    assert (mine["note"], mine["tags"], mine["followed_up"]) == ("Intro to Carol", ["demoed", "mentoring"], True)
    assert client.get(url, headers=ada.headers).json == mine
    theirs = client.get(url, headers=bob.headers).json
    assert (theirs["note"], theirs["tags"], theirs["followed_up"]) == ("", [], False)
    assert client.patch(url, headers=ada.headers, json={"followed_up": False}).json["followed_up"] is False
    for body, field in (
        ({"tags": ["x" * 41]}, "tags.0"),
        ({"note": "x" * 4001}, "note"),
        ({"followed_up": "soon"}, "followed_up"),
        ({"other": {}}, "other"),
    ):
        response = client.patch(url, headers=ada.headers, json=body)
        assert response.status_code == 422 and field in response.json["errors"], response.json
    stranger = make.user()
    assert client.patch(url, headers=make.token(stranger), json={"note": "mine now"}).status_code == 404
    assert client.get(url, headers=make.token(stranger)).status_code == 404
    assert client.patch(f"/api/v1/me/connections/{connection_id + 1}", headers=ada.headers, json={}).status_code == 404


def test_removing_a_connection_ends_it_for_both_and_erases_my_note(client, room):
    ada, bob = room["ada"], room["bob"]
    connection_id = ada.exchange(bob.registration, note="Ask about cranes").json["connection_id"]
    bob.exchange(ada.registration, note="Ada knows compilers")
    url = f"/api/v1/me/connections/{connection_id}"
    assert client.delete(url, headers=ada.headers).status_code == 204
    assert ada.connections() == [] and client.get(url, headers=ada.headers).status_code == 404
    assert client.delete(url, headers=ada.headers).status_code == 404
    [kept_by_bob] = bob.connections()
    assert kept_by_bob["note"] == "Ada knows compilers"  # Bob's own record is his
    assert kept_by_bob["connected"] is False
    assert kept_by_bob["other"]["email"] is None  # connections-only: not any more
    assert kept_by_bob["other"]["company"] == "Analytical"  # still at the same event: shared with everyone
    again = bob.exchange(ada.registration).json  # being scanned does not bring Ada's side back
    assert again["connection"]["connected"] is False and ada.connections() == []
    restored = ada.exchange(bob.registration).json  # Ada scanning does
    assert restored["new"] is False and restored["connection"]["note"] == ""
    assert restored["connection"]["connected"] is True and restored["connection"]["other"]["email"]


def test_a_block_ends_the_connection_for_both_and_unblocking_leaves_both_alike(client, room):
    ada, bob = room["ada"], room["bob"]
    connection_id = ada.exchange(bob.registration).json["connection_id"]
    blocked = client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": bob.user.id})
    assert blocked.status_code == 201
    assert blocked.json["user_id"] == bob.user.id and blocked.json["name"] == "Bob Builder"
    assert ada.connections() == [] and bob.connections() == []
    assert client.get(f"/api/v1/me/connections/{connection_id}", headers=bob.headers).status_code == 404
    assert "Ada" not in bob.get("/api/v1/me/connections.vcf").get_data(as_text=True)
    assert client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": bob.user.id}).status_code == 201
    assert [b["user_id"] for b in client.get("/api/v1/me/blocks", headers=ada.headers).json["items"]] == [bob.user.id]
    assert client.get("/api/v1/me/blocks", headers=bob.headers).json["items"] == []  # who blocked you is not shown
    assert client.delete(f"/api/v1/me/blocks/{bob.user.id}", headers=bob.headers).status_code == 404
    assert client.delete(f"/api/v1/me/blocks/{bob.user.id}", headers=ada.headers).status_code == 204
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0
    # Unblocking leaves both as if each had removed the connection: nobody lists the other, with notes, alone.
    assert ada.connections() == [] and bob.connections() == []
    assert client.get(f"/api/v1/me/connections/{connection_id}", headers=bob.headers).status_code == 404
    one_side = bob.exchange(ada.registration).json
    assert one_side["connection"]["connected"] is False  # one scan is not both choosing
    assert one_side["message"] == "Noted. You are connected again once they scan your badge too."
    assert ada.connections() == []
    again = ada.exchange(bob.registration).json
    assert again["new"] is False and again["connection"]["connected"] is True
    assert again["message"] == "You are connected again."
    assert bob.exchange(ada.registration).json["message"] == "Noted: this meeting is added to your connection."


def test_the_second_person_to_scan_hears_that_the_meeting_is_added_not_that_they_met_again(room):
    ada, bob = room["ada"], room["bob"]
    assert ada.exchange(bob.registration).json["message"] == "You are connected."
    first_of_bobs = bob.exchange(ada.registration).json
    assert first_of_bobs["new"] is False and first_of_bobs["connection"]["connected"] is True
    assert first_of_bobs["message"] == "Noted: this meeting is added to your connection."


def test_blocking_needs_someone_else_who_exists(client, room):
    ada = room["ada"]
    for user_id, status, field in (
        (ada.user.id, 422, "user_id"),
        (2**31 - 1, 404, None),
        (0, 422, "user_id"),
        ("bob", 422, "user_id"),
    ):
        response = client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": user_id})
        assert response.status_code == status, response.json
        if field:
            assert field in response.json["errors"]


def test_blocking_by_number_tells_no_name_the_directory_keeps_back_and_no_number_nobody_is_at(client, make, room):
    """Numbers are easy to try (a leaderboard's "Attendee" carried one): a block by number names only someone the
    blocker met or found in a directory, and someone they have nothing to do with answers as a number nobody has."""
    ada, bob = room["ada"], room["bob"]
    dave = room["phone"]("Dave Diaz")  # at the meetup with Ada, out of its directory (the default)
    bob.client.patch("/api/v1/me", headers=bob.headers, json={"directory_opt_in": True})
    stranger = make.user(name="Gina Stranger", email="gina@example.org")  # at none of Ada's events

    def blocks(user_id):
        return client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": user_id})

    unnamed = blocks(dave.user.id)
    assert unnamed.status_code == 201 and unnamed.json["name"] is None, unnamed.json
    assert blocks(bob.user.id).json["name"] == "Bob Builder"  # listed in the meetup's directory
    assert [(b["user_id"], b["name"]) for b in client.get("/api/v1/me/blocks", headers=ada.headers).json["items"]] == [
        (bob.user.id, "Bob Builder"),
        (dave.user.id, None),
    ]
    nobody = blocks(2**31 - 1)
    assert blocks(stranger.id).status_code == nobody.status_code == 404
    assert blocks(stranger.id).json["detail"] == nobody.json["detail"]
    assert client.delete(f"/api/v1/me/blocks/{stranger.id}", headers=ada.headers).status_code == 404


def test_a_deleted_account_leaves_the_lists_of_the_people_it_met(client, room):
    ada, bob = room["ada"], room["bob"]
    ada.exchange(bob.registration)
    assert client.delete("/api/v1/me", headers=bob.headers).status_code == 204
    assert ada.connections() == []
    assert db.session.scalar(select(func.count()).select_from(Connection)) == 0


def test_a_private_note_refuses_bidirectional_controls_and_keeps_lines(client, room):
    """A note is listed and exported beside names (the connections list, vCards, CSV): U+202E in it would turn
    what follows around, so every note refuses it, as one-line text does; line breaks stay."""
    ada, bob = room["ada"], room["bob"]
    before = ada.exchange(bob.registration, note="Met at\nthe coffee bar")
    assert before.status_code == 200 and before.json["result"] == "recorded", before.json
    connection_id, exchange_id = before.json["connection_id"], before.json["id"]
    sneaky = "Call back \u202efdp.exe"
    refused = [
        ada.exchange(bob.registration, note=sneaky),
        ada.batch([{"qr": badge(bob.registration), "nonce": "bidi-1", "note": sneaky}]),
        client.patch(f"/api/v1/exchanges/{exchange_id}", headers=ada.headers, json={"note": sneaky}),
        client.patch(f"/api/v1/me/connections/{connection_id}", headers=ada.headers, json={"note": "a\u2066b\u2069"}),
    ]
    fields = ["note", "exchanges.0.note", "note", "note"]
    for response, field in zip(refused, fields, strict=True):
        assert response.status_code == 422, response.json
        assert response.json["errors"][field][0].startswith("The note contains a bidirectional control character")
    assert client.get(f"/api/v1/me/connections/{connection_id}", headers=ada.headers).json["note"] == (
        "Met at\nthe coffee bar"
    )


def test_tags_that_differ_only_by_case_are_kept_once_in_the_first_spelling(client, room):
    ada, bob = room["ada"], room["bob"]
    connection_id = ada.exchange(bob.registration).json["connection_id"]
    url = f"/api/v1/me/connections/{connection_id}"
    changed = client.patch(url, headers=ada.headers, json={"tags": ["Rust", "  spaced  ", "rust", "SPACED", "Straße"]})
    assert changed.status_code == 200, changed.json
    assert changed.json["tags"] == ["Rust", "spaced", "Straße"]
    assert client.get(url, headers=ada.headers).json["tags"] == ["Rust", "spaced", "Straße"]
    # Case folding, not just lower case: "STRASSE" is the same word as "Straße".
    refolded = client.patch(url, headers=ada.headers, json={"tags": ["Straße", "STRASSE", "strasse"]})
    assert refolded.json["tags"] == ["Straße"]


def test_my_tags_may_be_my_own_words_within_bounds_while_exchange_actions_stay_the_events(client, room):
    """My tags are mine: words of my own as well as the events' actions. What a bingo square counts is an
    exchange's actions, and those stay the event's (tests/bingo follows them)."""
    ada, bob = room["ada"], room["bob"]
    recorded = ada.exchange(bob.registration, actions=["introduced"])
    connection_id, exchange_id = recorded.json["connection_id"], recorded.json["id"]
    url = f"/api/v1/me/connections/{connection_id}"
    mine = ["introduced", "hiring in Q3", "Rust \U0001f980", "Berlin meetup"]
    changed = client.patch(url, headers=ada.headers, json={"tags": [*mine, " hiring in Q3 "]})
    assert changed.status_code == 200, changed.json
    assert changed.json["tags"] == mine  # trimmed, each once, in my order
    assert client.get(url, headers=ada.headers).json["tags"] == mine
    assert client.get(url, headers=bob.headers).json["tags"] == []
    for tags, field in (
        ([f"tag {i}" for i in range(21)], "tags"),
        (["x" * 41], "tags.0"),
        (["  "], "tags.0"),
        (["two\nlines"], "tags.0"),
        (["ok", "Ada\u202efdp.exe"], "tags.1"),
        ([7], "tags.0"),
    ):
        response = client.patch(url, headers=ada.headers, json={"tags": tags})
        assert response.status_code == 422 and field in response.json["errors"], (tags, response.json)
    assert client.get(url, headers=ada.headers).json["tags"] == mine
    # An exchange's actions are still the event's: a word of my own signs nothing.
    refused = ada.exchange(bob.registration, actions=["hiring in Q3"])
    assert refused.status_code == 422 and "actions.0" in refused.json["errors"], refused.json
    refused = ada.exchange(bob.registration, actions=["juggled"])
    assert (refused.status_code, refused.json["reason"]) == (422, "unknown_action")
    added = client.patch(f"/api/v1/exchanges/{exchange_id}", headers=ada.headers, json={"actions": ["juggled"]})
    assert (added.status_code, added.json["reason"]) == (422, "unknown_action")


def test_each_meeting_carries_its_events_time_zone_for_showing_its_time(room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    assert ada.exchange(bob.registration).json["result"] == "recorded"
    [connection] = ada.connections()
    assert [m["event_timezone"] for m in connection["meetings"]] == [event.timezone]
    [connection] = bob.connections()
    assert connection["meetings"][0]["event_timezone"] == event.timezone
