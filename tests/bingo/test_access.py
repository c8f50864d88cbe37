"""Who may do what: organizers set up, start, end and see everything; people confirmed for the event see their
card and the leaderboard; anyone else signed in is refused (403, or 404 for a draft); nobody signed in, 401."""

import pytest

from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from tests.api.test_conventions import assert_problem
from tests.bingo.conftest import NINE_ACTIONS

#: Endpoint -> (method, path under .../bingo, body); {round} is the running round.
CALLS = {
    "overview": ("GET", "", None),
    "setup": ("PUT", "", {"actions": list(NINE_ACTIONS)}),
    "start": ("POST", "/rounds", {}),
    "card": ("GET", "/card", None),
    "leaderboard": ("GET", "/leaderboard", None),
    "summary": ("GET", "/rounds/{round}/summary", None),
    "end": ("POST", "/rounds/{round}/end", None),
}

#: Who -> the status each endpoint answers them (the organizer's start is refused only because one is running;
#: an organizer who is not registered has no card of their own).
EXPECTED = {
    "organizer": {"overview": 200, "setup": 200, "start": 409, "card": 404, "leaderboard": 200, "summary": 200},
    "co-organizer": {"overview": 200, "setup": 200, "start": 409, "card": 404, "leaderboard": 200, "summary": 200},
    "attendee": {"overview": 200, "setup": 403, "start": 403, "card": 200, "leaderboard": 200, "summary": 403},
    "cancelled attendee": dict.fromkeys(CALLS.keys() - {"end"}, 403),
    "stranger": dict.fromkeys(CALLS.keys() - {"end"}, 403),
    "anonymous": dict.fromkeys(CALLS.keys() - {"end"}, 401),
}


@pytest.fixture
def world(client, make, organizer, player):
    ada = player("Ada Lovelace")
    leaving = player("Lee Leaving")
    cancelled = client.post(f"/api/v1/registrations/{leaving.registration.id}/cancel", headers=organizer.headers)
    assert cancelled.status_code == 200, cancelled.json
    carol = make.user(name="Carol Co", email="carol@example.org")
    added = client.post(
        f"/api/v1/events/{organizer.event.id}/organizers", headers=organizer.headers, json={"email": carol.email}
    )
    assert added.status_code == 201, added.json
    round_ = organizer.start_round()
    headers = {
        "organizer": organizer.headers,
        "co-organizer": make.token(carol),
        "attendee": ada.headers,
        "cancelled attendee": leaving.headers,
        "stranger": make.token(make.user(name="Mallory")),
        "anonymous": {},
    }
    return {"round": round_, "headers": headers, "ada": ada, "event": organizer.event}


def call(client, world, name, headers, **query):
    method, path, body = CALLS[name]
    url = f"/api/v1/events/{world['event'].id}/bingo{path.format(round=world['round']['id'])}"
    return client.open(url, method=method, headers=headers, json=body, query_string=query)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_access_matrix(client, world, who):
    answers = {name: call(client, world, name, world["headers"][who]).status_code for name in EXPECTED[who]}
    assert answers == EXPECTED[who]


@pytest.mark.parametrize("who", ["attendee", "cancelled attendee", "stranger", "anonymous"])
def test_only_organizers_end_a_round(client, world, who):
    response = call(client, world, "end", world["headers"][who])
    assert response.status_code == (401 if who == "anonymous" else 403)
    assert call(client, world, "overview", world["headers"]["organizer"]).json["current_round"] is not None
    assert call(client, world, "end", world["headers"]["co-organizer"]).status_code == 200


def test_organizers_see_anyones_card_attendees_only_their_own(client, world):
    ada_id = world["ada"].user.id
    card = call(client, world, "card", world["headers"]["organizer"], user_id=ada_id)
    assert card.status_code == 200 and card.json["user_id"] == ada_id
    body = assert_problem(call(client, world, "card", world["headers"]["organizer"]), 404, "no_card")
    assert "user_id" in body["detail"]
    organizer_id = world["event"].owner.id
    assert_problem(call(client, world, "card", world["headers"]["attendee"], user_id=organizer_id), 403, "forbidden")
    assert_problem(call(client, world, "card", world["headers"]["organizer"], user_id=organizer_id), 404, "no_card")


def test_refusals_are_problems(client, world):
    assert_problem(call(client, world, "card", world["headers"]["stranger"]), 403, "forbidden")
    assert_problem(call(client, world, "card", {}), 401, "unauthorized")
    assert_problem(call(client, world, "setup", world["headers"]["attendee"]), 403, "forbidden")
    assert_problem(
        call(client, world, "card", world["headers"]["attendee"], round_id=0), 422, "invalid_input", "round_id"
    )


def test_a_draft_events_bingo_is_not_found_for_anyone_but_its_organizers(client, world):
    event = db.session.get(Event, world["event"].id)
    event.status = EventStatus.draft
    db.session.commit()
    for name in ("overview", "card", "leaderboard"):
        assert_problem(call(client, world, name, world["headers"]["stranger"]), 404, "not_found")
    assert call(client, world, "overview", world["headers"]["organizer"]).status_code == 200
