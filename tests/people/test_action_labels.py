"""An event's own exchange actions keep the words their organizer typed ("Talked AI"), beside the slug exchanges
and tags carry; actions made before words were kept have none (the screens spell the slug out)."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from netevents import config, create_app
from netevents.extensions import db
from netevents.people.models import EventExchangeActions
from tests.api.test_conventions import assert_problem
from tests.conftest import Factory
from tests.people.test_migration import scratch_url  # noqa: F401  (a fixture)

BEFORE_LABELS = "4d2f8a6c1e57"


@pytest.fixture
def owned(client, make):
    event = make.event()
    return {"url": f"/api/v1/events/{event.id}/exchange-actions", "headers": make.token(event.owner), "event": event}


def test_the_organizers_words_round_trip_and_stay_until_changed(client, owned):
    url, headers = owned["url"], owned["headers"]
    assert client.get(url).json["labels"] == {}
    body = {
        "custom": ["talked_ai", "swapped_cards"],
        "labels": {"talked_ai": "  Talked AI ", "swapped_cards": "Swapped cards"},
    }
    changed = client.patch(url, headers=headers, json=body)
    assert changed.status_code == 200, changed.json
    assert changed.json["labels"] == {"talked_ai": "Talked AI", "swapped_cards": "Swapped cards"}
    assert client.get(url).json["labels"] == {"talked_ai": "Talked AI", "swapped_cards": "Swapped cards"}

    # Words for one action change it alone; a list without labels keeps the others' words.
    client.patch(
        url,
        headers=headers,
        json={"custom": ["talked_ai", "swapped_cards"], "labels": {"talked_ai": "Talked about AI"}},
    )
    assert client.get(url).json["labels"] == {"talked_ai": "Talked about AI", "swapped_cards": "Swapped cards"}
    client.patch(url, headers=headers, json={"custom": ["talked_ai", "swapped_cards", "demoed"]})
    assert client.get(url).json["labels"] == {"talked_ai": "Talked about AI", "swapped_cards": "Swapped cards"}

    # An action that leaves the list keeps its words (past exchanges still read them): added again, it has them.
    client.patch(url, headers=headers, json={"custom": ["swapped_cards"]})
    removed = client.get(url).json
    # (demoed, which never had words, is simply gone: its tags are spelled out, as they always were)
    assert (removed["custom"], removed["retired"]) == (["swapped_cards"], ["talked_ai"])
    assert removed["labels"] == {"talked_ai": "Talked about AI", "swapped_cards": "Swapped cards"}
    client.patch(url, headers=headers, json={"custom": ["swapped_cards", "talked_ai"]})
    answer = client.get(url).json
    assert (answer["custom"], answer["retired"]) == (["swapped_cards", "talked_ai"], [])
    assert answer["labels"] == {"swapped_cards": "Swapped cards", "talked_ai": "Talked about AI"}


def test_words_in_any_script_are_kept_as_typed(client, owned):
    words = {"sushi": "🍣 Ate sushi together", "kaffee": "Kaffee getrunken", "shalom": "אמרנו שלום"}
    answer = client.patch(owned["url"], headers=owned["headers"], json={"custom": list(words), "labels": words})
    assert answer.status_code == 200 and answer.json["labels"] == words


@pytest.mark.parametrize(
    ("labels", "reason"),
    [
        ({"talked_ai": "Talked\nAI"}, "invalid_input"),
        ({"talked_ai": "Talked\tAI"}, "invalid_input"),
        ({"talked_ai": "Talked \u202eIA"}, "invalid_input"),
        ({"talked_ai": "x" * 41}, "invalid_input"),
        ({"talked_ai": "   "}, "invalid_input"),
        ({"talked_ai": None}, "invalid_input"),
        ({"talked_ai": 5}, "invalid_input"),
        ({"Talked AI": "Talked AI"}, "invalid_input"),
        ({f"a{i}": "A" for i in range(21)}, "invalid_input"),
        (["Talked AI"], "invalid_input"),
        ({"introduced": "Said hello"}, "label_without_action"),
        ({"demoed": "Demoed"}, "label_without_action"),
    ],
    ids=lambda value: repr(value)[:30],
)
def test_bad_words_are_refused_naming_labels_and_change_nothing(client, owned, labels, reason):
    url, headers = owned["url"], owned["headers"]
    client.patch(url, headers=headers, json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked AI"}})
    response = client.patch(url, headers=headers, json={"custom": ["talked_ai"], "labels": labels})
    body = assert_problem(response, 422, reason)
    assert any(key == "labels" or key.startswith("labels.") for key in body["errors"]), body
    assert client.get(url).json["labels"] == {"talked_ai": "Talked AI"}


def test_the_words_are_the_organizers_to_give(client, make, owned):
    attendee = make.token(make.user(name="Ada Attendee"))
    response = client.patch(
        owned["url"], headers=attendee, json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked AI"}}
    )
    assert_problem(response, 403)
    unchanged = client.get(owned["url"]).json
    assert (unchanged["custom"], unchanged["labels"]) == ([], {})


def test_a_bingo_card_keeps_the_words_of_the_actions_it_adds(client, owned):
    event, headers = owned["event"], owned["headers"]
    own = ["swap_cards", "talked_ai", "met_a_speaker", "found_a_mentor"]
    body = {
        "actions": ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", *own],
        "labels": {"swap_cards": "Swap business cards", "talked_ai": "Talk about AI"},
    }
    assert client.put(f"/api/v1/events/{event.id}/bingo", headers=headers, json=body).status_code == 200
    answer = client.get(owned["url"]).json
    assert answer["custom"] == own
    assert answer["labels"] == {"swap_cards": "Swap business cards", "talked_ai": "Talk about AI"}
    refused = client.put(
        f"/api/v1/events/{event.id}/bingo", headers=headers, json={**body, "labels": {"introduced": "Say hi"}}
    )
    assert_problem(refused, 422, "label_without_action", field="labels")
    assert client.get(owned["url"]).json["labels"] == answer["labels"]


def test_actions_made_before_words_were_kept_have_none_and_come_through_the_migration(app, scratch_url, tmp_path):  # noqa: F811
    scratch = create_app(config.TestConfig(tmp_path / "instance", scratch_url))
    with scratch.app_context():
        upgrade()
        event = Factory().event()
        url = f"/api/v1/events/{event.id}/exchange-actions"
        db.session.remove()
        downgrade(revision=BEFORE_LABELS)
        db.session.execute(
            text("INSERT INTO event_exchange_actions (event_id, custom, updated_at) VALUES (:id, :custom, :at)"),
            {"id": event.id, "custom": '["pair_programmed", "talked_ai"]', "at": "2026-01-01 00:00:00"},
        )
        db.session.commit()
        upgrade()
        old = scratch.test_client().get(url).json
        assert (old["custom"], old["labels"]) == (["pair_programmed", "talked_ai"], {})

        db.session.get(EventExchangeActions, event.id).labels = {"talked_ai": "Talked AI"}
        db.session.commit()
        db.session.remove()
        downgrade(revision=BEFORE_LABELS)  # the words go; the actions stay
        kept = db.session.execute(text("SELECT custom FROM event_exchange_actions")).scalar_one()
        db.session.commit()
        assert "talked_ai" in str(kept)
        upgrade()
        assert scratch.test_client().get(url).json["labels"] == {}
        db.session.remove()
        db.engine.dispose()


def test_a_removed_action_stays_on_past_exchanges_and_is_refused_on_new_ones(client, make, room):
    """An organizer removes one of the event's own actions: exchanges already tagged with it keep the tag (and the
    screens its words); a new exchange may no longer carry it. Renaming it changes its words only."""
    event, ada, bob = room["event"], room["ada"], room["bob"]
    url = f"/api/v1/events/{event.id}/exchange-actions"
    organizer = make.token(event.owner)
    client.patch(url, headers=organizer, json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked AI"}})
    tagged = ada.exchange(bob.registration, actions=["talked_ai"])
    assert tagged.json["result"] == "recorded", tagged.json

    renamed = client.patch(
        url, headers=organizer, json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked about AI"}}
    )
    assert renamed.json["labels"] == {"talked_ai": "Talked about AI"}
    removed = client.patch(url, headers=organizer, json={"custom": []})
    assert removed.status_code == 200, removed.json
    assert (removed.json["custom"], removed.json["retired"], removed.json["labels"]) == (
        [],
        ["talked_ai"],
        {"talked_ai": "Talked about AI"},
    )

    (connection,) = ada.connections()
    assert "talked_ai" in connection["tags"]
    refused = bob.exchange(ada.registration, actions=["talked_ai"])
    assert_problem(refused, 422, "unknown_action", field="actions")
    still = bob.exchange(ada.registration, actions=["introduced"])
    assert still.json["result"] == "recorded", still.json


def test_the_standard_actions_stay_at_every_event(client, owned):
    """The five standard actions are the words every event shares (tags across events, the follow-up): an
    event cannot drop them, nor take their slugs for its own; its bingo card may leave them out."""
    answer = client.patch(owned["url"], headers=owned["headers"], json={"custom": ["introduced"]})
    assert_problem(answer, 422, "standard_action", field="custom")
    assert client.get(owned["url"]).json["standard"] == [
        "introduced",
        "asked_advice",
        "offered_help",
        "mentoring",
        "shared_knowledge",
    ]


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        ({"talked_ai": "Talked about AI"}, {"ai_chat": "  talked ABOUT ai "}, "labels"),
        ({"talked_ai": "Talked AI"}, {"ai_chat": "Talked AI"}, "labels"),
        ({}, {"ai_chat": "asked for advice"}, "labels"),
        ({"talked_ai": "Talked about AI"}, {"talked_about_ai": None}, "custom"),
        ({"talked_ai": "Had coffee"}, {"ai_chat": "Had coffee!"}, "labels"),
        # A standard action's bingo square reads "Introduce yourself": a square of the event's own cannot too.
        ({}, {"ai_chat": "introduce YOURSELF!"}, "labels"),
        ({}, {"share_what_you_know": None}, "custom"),
    ],
    ids=[
        "case-and-spaces",
        "same",
        "standard-words",
        "spelled-out-slug",
        "punctuation",
        "standard-square-words",
        "spelled-out-standard-square",
    ],
)
def test_two_actions_cannot_have_the_same_words(client, owned, first, second, field):
    """Two chips reading the same would be two actions nobody can tell apart."""
    url, headers = owned["url"], owned["headers"]
    assert client.patch(url, headers=headers, json={"custom": ["talked_ai"], "labels": first}).status_code == 200
    slug, words = next(iter(second.items()))
    body = {"custom": ["talked_ai", slug], **({"labels": {slug: words}} if words else {})}
    refused = assert_problem(client.patch(url, headers=headers, json=body), 422, "same_words", field=field)
    assert (
        refused["detail"].startswith("Two actions would read “") and "give one of them other words" in refused["detail"]
    )
    assert client.get(url).json["custom"] == ["talked_ai"]


def test_renaming_an_action_to_another_ones_words_is_refused(client, owned):
    url, headers = owned["url"], owned["headers"]
    body = {"custom": ["talked_ai", "swapped_cards"], "labels": {"talked_ai": "Talked AI", "swapped_cards": "Swapped"}}
    assert client.patch(url, headers=headers, json=body).status_code == 200
    renamed = client.patch(url, headers=headers, json={**body, "labels": {"swapped_cards": "talked ai"}})
    assert_problem(renamed, 422, "same_words", field="labels")
    # Swapping two actions' words in one change is fine: no two end up alike.
    swapped = client.patch(
        url, headers=headers, json={**body, "labels": {"talked_ai": "Swapped", "swapped_cards": "Talked AI"}}
    )
    assert swapped.status_code == 200, swapped.json


def test_a_refused_character_in_an_actions_words_names_the_label(client, owned):
    body = {"custom": ["talked_ai"], "labels": {"talked_ai": "Talked\u3164AI"}}
    refused = client.patch(owned["url"], headers=owned["headers"], json=body)
    assert refused.status_code == 422, refused.json
    assert "The label contains a blank-looking character (U+3164" in str(refused.json["errors"])
