"""Tags chosen on the phone after a scan (PATCH /api/v1/exchanges/{id}) count as the scan's own: they join the
meeting's actions and the scanner's side of the connection, and a bingo round signs the square they name."""

from tests.bingo.conftest import squares_by_action


def add(phone, exchange_id, **body):
    return phone.client.patch(f"/api/v1/exchanges/{exchange_id}", json=body, headers=phone.headers)


def test_tags_added_after_the_scan_sign_the_square_and_reach_the_connection(organizer, player):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()
    scanned = ada.exchange(bob.registration).json  # the camera reads the badge: recorded at once, no tags yet
    assert ada.card()["squares_signed"] == 0

    answer = add(ada, scanned["id"], actions=["asked_advice"], note="Knows the venue's wifi password")
    assert answer.status_code == 200, answer.json
    assert answer.json["id"] == scanned["connection_id"]
    assert answer.json["tags"] == ["asked_advice"]
    assert answer.json["note"] == "Knows the venue's wifi password"
    square = squares_by_action(ada.card())["asked_advice"]
    assert (square["signed"], square["signed_by"]["name"]) == (True, "Bob Builder")

    # Sent again (a retry) or with more: the same one square, the tags joined, the note kept once.
    again = add(ada, scanned["id"], actions=["asked_advice", "offered_help"], note="Knows the venue's wifi password")
    assert again.json["tags"] == ["asked_advice", "offered_help"]
    assert again.json["note"] == "Knows the venue's wifi password"
    assert ada.card()["squares_signed"] == 1


def test_only_the_scanner_adds_to_their_meeting_and_only_the_events_actions(organizer, player):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()
    scanned = ada.exchange(bob.registration).json

    # The person scanned, or anyone else, finds no such meeting of theirs.
    refused = add(bob, scanned["id"], actions=["introduced"])
    assert (refused.status_code, refused.json["reason"]) == (404, "not_found")
    assert add(ada, 10**9, actions=["introduced"]).status_code == 404

    bad = add(ada, scanned["id"], actions=["juggled_knives"])
    assert bad.status_code == 422 and "actions" in bad.json["errors"], bad.json
    assert ada.card()["squares_signed"] == 0 and bob.card()["squares_signed"] == 0
    assert ada.connections()[0]["tags"] == []
