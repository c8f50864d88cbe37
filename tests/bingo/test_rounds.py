"""Setting up the card and running rounds: sizes, enough actions (and how many more), one round at a time."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from netevents.bingo.models import BingoRound
from netevents.extensions import db
from netevents.people.actions import STANDARD_ACTIONS
from tests.api.test_conventions import assert_problem
from tests.bingo.conftest import NINE_ACTIONS, OWN_ACTIONS

SIXTEEN = (*NINE_ACTIONS, *(f"own_{i}" for i in range(7)))
TWENTY_FIVE = (*SIXTEEN, *(f"more_{i}" for i in range(9)))


def test_before_any_setup_the_defaults_show_what_is_missing(organizer):
    bingo = organizer.get().json
    assert bingo["configured"] is False
    assert (bingo["actions"], bingo["size"], bingo["round_minutes"]) == (list(STANDARD_ACTIONS), 3, 10)
    assert bingo["actions_missing"] == 4  # five standard actions, nine squares
    assert (bingo["current_round"], bingo["rounds"]) == (None, [])


def test_too_few_actions_for_the_card_say_how_many_more_are_needed(organizer):
    body = assert_problem(organizer.setup(), 422, "not_enough_actions", "actions")  # the five standard ones
    assert "add 4 more" in body["detail"] and body["missing"] == 4
    body = assert_problem(organizer.setup(actions=list(NINE_ACTIONS), size=4), 422, "not_enough_actions", "actions")
    assert "16" in body["detail"] and "add 7 more" in body["detail"] and body["missing"] == 7
    assert organizer.get().json["configured"] is False


@pytest.mark.parametrize(("actions", "size"), [(NINE_ACTIONS, 3), (SIXTEEN, 4), (TWENTY_FIVE, 5), (SIXTEEN, 3)])
def test_cards_from_3x3_to_5x5(organizer, actions, size):
    response = organizer.setup(actions=list(actions), size=size, round_minutes=15)
    assert response.status_code == 200, response.json
    bingo = response.json
    assert (bingo["actions"], bingo["size"], bingo["round_minutes"]) == (list(actions), size, 15)
    assert (bingo["configured"], bingo["actions_missing"]) == (True, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"actions": list(NINE_ACTIONS), "size": 2}, "size"),
        ({"actions": list(TWENTY_FIVE), "size": 6}, "size"),
        ({"actions": list(NINE_ACTIONS), "round_minutes": 0}, "round_minutes"),
        ({"actions": list(NINE_ACTIONS), "round_minutes": 121}, "round_minutes"),
        ({"actions": ["Introduce Yourself", *NINE_ACTIONS[1:]]}, "actions.0"),
        ({"actions": []}, "actions"),
        ({"actions": [*NINE_ACTIONS, "introduced"]}, "actions"),
        ({"actions": list(NINE_ACTIONS), "colour": "red"}, "colour"),
    ],
)
def test_a_bad_setup_is_a_problem_naming_the_field(organizer, body, field):
    assert_problem(organizer.setup(**body), 422, field=field)


def test_own_actions_become_the_events_exchange_actions(client, organizer):
    assert organizer.setup(actions=list(NINE_ACTIONS)).status_code == 200
    offered = client.get(f"/api/v1/events/{organizer.event.id}/exchange-actions").json
    assert offered["custom"] == list(OWN_ACTIONS)
    # Configured again with one more of its own: added, nothing lost.
    assert organizer.setup(actions=[*NINE_ACTIONS, "pair_programmed"]).status_code == 200
    offered = client.get(f"/api/v1/events/{organizer.event.id}/exchange-actions").json
    assert offered["custom"] == [*OWN_ACTIONS, "pair_programmed"]


def test_a_round_runs_ten_minutes_by_default_and_one_at_a_time(organizer):
    first = organizer.start_round()
    started, ends = datetime.fromisoformat(first["started_at"]), datetime.fromisoformat(first["ends_at"])
    assert ends - started == timedelta(minutes=10)
    assert (first["running"], first["ended_early"], first["size"], first["actions"]) == (
        True,
        False,
        3,
        list(NINE_ACTIONS),
    )
    body = assert_problem(organizer.start(), 409, "round_running")
    assert body["round_id"] == first["id"]
    assert organizer.get().json["current_round"]["id"] == first["id"]

    ended = organizer.end(first["id"])
    assert ended.status_code == 200, ended.json
    assert (ended.json["running"], ended.json["ended_early"]) == (False, True)
    assert datetime.fromisoformat(ended.json["ends_at"]) < ends
    assert_problem(organizer.end(first["id"]), 409, "round_over")

    second = organizer.start(minutes=3)
    assert second.status_code == 201, second.json
    assert datetime.fromisoformat(second.json["ends_at"]) - datetime.fromisoformat(
        second.json["started_at"]
    ) == timedelta(minutes=3)
    bingo = organizer.get().json
    assert [r["id"] for r in bingo["rounds"]] == [first["id"], second.json["id"]]
    assert bingo["current_round"]["id"] == second.json["id"]


def test_a_round_needs_a_card_with_enough_actions(organizer):
    body = assert_problem(organizer.start(), 409, "not_enough_actions")
    assert "add 4 more" in body["detail"]
    assert organizer.get().json["rounds"] == []


def test_a_round_with_an_action_the_event_no_longer_offers_is_refused(client, organizer):
    organizer.setup(actions=list(NINE_ACTIONS))
    client.patch(
        f"/api/v1/events/{organizer.event.id}/exchange-actions",
        headers=organizer.headers,
        json={"custom": list(OWN_ACTIONS[:3])},
    )
    body = assert_problem(organizer.start(), 409, "actions_removed")
    assert OWN_ACTIONS[3] in body["detail"]


def test_an_action_on_the_running_rounds_cards_cannot_be_removed_until_the_round_ends(client, organizer, player):
    """Removing it mid-round would leave a square on every card that no exchange could sign."""
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    url = f"/api/v1/events/{organizer.event.id}/exchange-actions"
    running = organizer.start_round()
    kept = list(OWN_ACTIONS[:3])
    body = assert_problem(client.patch(url, headers=organizer.headers, json={"custom": kept}), 409, "action_in_round")
    assert "custom" in body["errors"]
    assert OWN_ACTIONS[3].replace("_", " ") in body["detail"].lower() and "end the round first" in body["detail"]
    assert client.get(url).json["custom"] == list(OWN_ACTIONS)
    assert ada.sign(bob, OWN_ACTIONS[3])["result"] == "recorded"
    # Rewording it and adding others are fine while the round runs.
    added = client.patch(url, headers=organizer.headers, json={"custom": [*OWN_ACTIONS, "demoed"]})
    assert added.status_code == 200, added.json

    organizer.end(running["id"])
    removed = client.patch(url, headers=organizer.headers, json={"custom": kept})
    assert removed.status_code == 200, removed.json


def test_a_changed_setup_changes_the_next_round_not_the_running_one(organizer, player):
    ada = player("Ada Lovelace")
    running = organizer.start_round()
    assert organizer.setup(actions=list(SIXTEEN), size=4).status_code == 200
    card = ada.card()
    assert (card["round"]["id"], card["size"], len(card["squares"])) == (running["id"], 3, 9)
    organizer.end(running["id"])
    organizer.start()
    assert (ada.card()["size"], len(ada.card()["squares"])) == (4, 16)


def test_an_unknown_round_is_404(organizer, make):
    organizer.start_round()
    assert_problem(organizer.end(999_999), 404, "not_found")
    other_event = make.event()
    other = organizer.client.post(
        f"/api/v1/events/{other_event.id}/bingo/rounds", headers=make.token(other_event.owner), json={}
    )
    assert other.status_code == 409  # that event has no card set up; its rounds are not this event's either
    assert_problem(organizer.get("/rounds/999999/summary"), 404, "not_found")


def test_no_round_yet_is_a_404_saying_so(organizer, player):
    ada = player("Ada Lovelace")
    body = assert_problem(ada.get(f"/api/v1/events/{organizer.event.id}/bingo/card"), 404, "no_round")
    assert "No bingo round" in body["detail"]


def test_starting_without_a_body_uses_the_setup(organizer):
    organizer.setup(actions=list(NINE_ACTIONS), round_minutes=7)
    response = organizer.client.post(f"{organizer.base}/rounds", headers=organizer.headers)
    assert response.status_code == 201, response.json
    round_ = response.json
    assert datetime.fromisoformat(round_["ends_at"]) - datetime.fromisoformat(round_["started_at"]) == timedelta(
        minutes=7
    )


def test_a_cancelled_event_has_no_round(client, organizer):
    organizer.setup(actions=list(NINE_ACTIONS))
    client.patch(f"/api/v1/events/{organizer.event.id}", headers=organizer.headers, json={"status": "cancelled"})
    assert_problem(organizer.start(), 409, "event_cancelled")


def test_organizers_starting_rounds_at_the_same_instant_start_one(app, organizer):
    assert organizer.setup(actions=list(NINE_ACTIONS)).status_code == 200
    db.session.commit()
    copies = 6
    start = threading.Barrier(copies)

    def start_round(_copy):
        with app.app_context():
            client = app.test_client()
            start.wait()
            response = client.post(f"{organizer.base}/rounds", headers=organizer.headers, json={})
            db.session.remove()
            return response.status_code, response.json

    with ThreadPoolExecutor(max_workers=copies) as pool:
        answers = list(pool.map(start_round, range(copies)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (copies - 1), answers
    assert {body["reason"] for status, body in answers if status == 409} == {"round_running"}
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(BingoRound)) == 1


# --- a round lives within its event ------------------------------------------------------------------------


@pytest.fixture
def ending_soon(client, make):
    """A meetup under way that ends in five minutes, its card set up."""
    from netevents.db import utcnow
    from tests.bingo.conftest import Organizer

    now = utcnow().replace(microsecond=0)
    event = make.event(starts_at=now - timedelta(hours=2), ends_at=now + timedelta(minutes=5))
    organizer = Organizer(client, make.token(event.owner), event)
    configured = organizer.setup(actions=list(NINE_ACTIONS), size=3, round_minutes=3)
    assert configured.status_code == 200, configured.json
    return organizer


def _body_fields(app, path: str, method: str) -> set[str]:
    """The fields an operation's request body has, as the API document says."""
    document = app.test_client().get("/api/v1/openapi.json").json
    reference = document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(document["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"])


def test_a_round_that_would_run_past_the_events_end_is_refused_naming_its_end(app, ending_soon):
    """A value that cannot be used is a 422 naming a field of the body sent, like every other validation error."""
    body = assert_problem(ending_soon.start(minutes=10), 422, "round_past_event_end", field="minutes")
    assert body["errors"].keys() == {"minutes"}
    assert body["errors"].keys() <= _body_fields(app, "/api/v1/events/{event_id}/bingo/rounds", "post")
    assert "ends at" in body["detail"] and "at most 4 minutes" in body["detail"]
    assert ending_soon.get().json["rounds"] == []
    started = ending_soon.start(minutes=3)
    assert started.status_code == 201, started.json


def test_a_setups_round_length_past_the_end_names_minutes_the_field_that_shortens_this_round(app, client, make):
    """Started without a body, the round would take the setup's length: `minutes` in the body is how to send a
    shorter one, so the problem names it (and says so)."""
    from netevents.db import utcnow
    from tests.bingo.conftest import Organizer

    now = utcnow().replace(microsecond=0)
    event = make.event(starts_at=now - timedelta(hours=2), ends_at=now + timedelta(minutes=30))
    organizer = Organizer(client, make.token(event.owner), event)
    assert organizer.setup(actions=list(NINE_ACTIONS), round_minutes=20).status_code == 200
    new_end = (now + timedelta(minutes=5)).isoformat()
    assert (
        client.patch(f"/api/v1/events/{event.id}", headers=organizer.headers, json={"ends_at": new_end}).status_code
        == 200
    )
    body = assert_problem(organizer.start(), 422, "round_past_event_end", field="minutes")
    assert body["errors"].keys() <= _body_fields(app, "/api/v1/events/{event_id}/bingo/rounds", "post")
    assert "minutes" in body["errors"]["minutes"][0]


def test_a_setup_whose_rounds_cannot_fit_in_the_event_is_refused(app, ending_soon):
    body = assert_problem(ending_soon.setup(actions=list(NINE_ACTIONS), round_minutes=10), 422, "round_past_event_end")
    assert body["errors"].keys() == {"round_minutes"}
    assert body["errors"].keys() <= _body_fields(app, "/api/v1/events/{event_id}/bingo", "put")
    assert "ends at" in body["detail"]


def test_no_round_starts_once_the_event_is_over(client, make):
    """Nothing in the body could change that: a conflict with the event's state, naming no field."""
    from netevents.db import utcnow
    from tests.bingo.conftest import Organizer

    now = utcnow().replace(microsecond=0)
    event = make.event(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(minutes=1))
    organizer = Organizer(client, make.token(event.owner), event)
    body = assert_problem(organizer.start(minutes=5), 409, "event_over")
    assert "ended at" in body["detail"] and not body.get("errors")
    body = assert_problem(organizer.setup(actions=list(NINE_ACTIONS), round_minutes=5), 409, "event_over")
    assert not body.get("errors")


def test_a_running_round_ends_when_its_event_is_made_to_end_earlier(client, organizer):
    from netevents.db import utcnow

    running = organizer.start_round(minutes=30)
    new_end = utcnow().replace(microsecond=0) + timedelta(minutes=2)
    patched = client.patch(
        f"/api/v1/events/{organizer.event.id}", headers=organizer.headers, json={"ends_at": new_end.isoformat()}
    )
    assert patched.status_code == 200, patched.json
    (now_round,) = organizer.get().json["rounds"]
    assert now_round["id"] == running["id"]
    assert datetime.fromisoformat(now_round["ends_at"]) == new_end
    # And once the event's end is in the past, so is the round's.
    ended = client.patch(
        f"/api/v1/events/{organizer.event.id}",
        headers=organizer.headers,
        json={"ends_at": (utcnow() - timedelta(seconds=1)).replace(microsecond=0).isoformat()},
    )
    assert ended.status_code == 200, ended.json
    bingo = organizer.get().json
    assert bingo["current_round"] is None and bingo["rounds"][0]["running"] is False


def test_cancelling_the_event_ends_its_running_round(client, organizer):
    running = organizer.start_round()
    cancelled = client.patch(
        f"/api/v1/events/{organizer.event.id}", headers=organizer.headers, json={"status": "cancelled"}
    )
    assert cancelled.status_code == 200, cancelled.json
    bingo = organizer.get().json
    assert bingo["current_round"] is None
    (ended,) = bingo["rounds"]
    assert ended["id"] == running["id"] and ended["running"] is False
    assert datetime.fromisoformat(ended["ends_at"]) < datetime.fromisoformat(running["ends_at"])


def test_no_round_starts_before_check_in_opens(client, make):
    """Exchanges sign the squares, and they count from the opening of check-in: a round before then would be
    ten minutes of refused scans. A conflict with the event's clock, saying when (in the event's time)."""
    from netevents.db import utcnow
    from tests.bingo.conftest import Organizer

    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=3), timezone="America/New_York")
    organizer = Organizer(client, make.token(event.owner), event)
    assert organizer.setup(actions=list(NINE_ACTIONS), size=3).status_code == 200  # setting up ahead is fine
    body = assert_problem(organizer.start(), 409, "outside_window")
    opens = event.checkin_window[0].astimezone(event.zone)
    assert f"{opens:%d %b %Y %H:%M} (America/New_York)" in body["detail"], body
    assert "+00:00" not in body["detail"] and not body.get("errors")
    assert organizer.get().json["rounds"] == []


def test_a_round_starts_once_the_organizers_check_in_window_opens(client, make):
    """The same window as exchanges: an organizer who opens check-in early opens bingo early too."""
    from netevents.db import utcnow
    from tests.bingo.conftest import Organizer

    now = utcnow().replace(microsecond=0)
    start = now + timedelta(days=2)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=3), checkin_opens_at=now - timedelta(minutes=1))
    organizer = Organizer(client, make.token(event.owner), event)
    organizer.start_round()
