"""Suggestions: people at the event you have not met, most in common first, each with the reason in words."""

import pytest

from tests.people.conftest import Phone


@pytest.fixture
def party(room, client):
    """Ada looks for a mentor in tech leadership and mentors in Python; her topics are Kubernetes and Go."""
    phone = room["phone"]
    ada = room["ada"]
    changed = client.patch(
        "/api/v1/me",
        headers=ada.headers,
        json={
            "topics": ["Kubernetes", "Go"],
            "mentoring_sought": ["tech leadership"],
            "mentoring_offered": ["Python"],
        },
    )
    assert changed.status_code == 200
    return {
        **room,
        "grace": phone(
            "Grace Hopper", topics=["kubernetes"], mentoring_offered=["Tech Leadership"], directory_opt_in=True
        ),
        "linus": phone("Linus Torvalds", topics=["Go", "Kubernetes"], directory_opt_in=True),
        "guido": phone("Guido Rossum", topics=["Rust"], mentoring_sought=["Python"], directory_opt_in=True),
        "margaret": phone("Margaret Hamilton", topics=["Go"], directory_opt_in=True),
        "nobody": phone("Nora Nothing", topics=["Knitting"], directory_opt_in=True),
        "private": phone("Pat Private", topics=["Kubernetes", "Go"], mentoring_offered=["Tech leadership"]),
    }


def suggested(viewer: Phone, event, **query):
    response = viewer.get(f"/api/v1/events/{event.id}/suggestions", query_string=query)
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_ranked_by_shared_topics_and_mentoring_fit_with_the_reason_in_words(party):
    items = suggested(party["ada"], party["event"])
    assert [(item["person"]["name"], item["reason"]) for item in items] == [
        (
            "Grace Hopper",
            "You both care about Kubernetes; Grace mentors in tech leadership, which you are looking for",
        ),
        # A mentoring fit counts as much as two shared topics; a tie goes by name.
        ("Guido Rossum", "Guido is looking for a mentor in Python, which you mentor in"),
        ("Linus Torvalds", "You both care about Kubernetes and Go"),
        ("Margaret Hamilton", "You both care about Go"),
    ]
    grace = items[0]
    assert grace["shared_topics"] == ["Kubernetes"]
    assert grace["can_mentor_you_in"] == ["tech leadership"]
    assert grace["looking_for_your_mentoring_in"] == []
    assert grace["person"]["topics"] == ["kubernetes"] and grace["person"]["email"] is None


def test_people_met_are_not_suggested_even_after_removing_the_connection(client, party):
    ada, grace, linus, event = party["ada"], party["grace"], party["linus"], party["event"]
    assert ada.exchange(grace.registration).json["result"] == "recorded"
    connection_id = linus.exchange(ada.registration).json["connection_id"]  # they scanned Ada
    assert client.delete(f"/api/v1/me/connections/{connection_id}", headers=ada.headers).status_code == 204
    assert [item["person"]["name"] for item in suggested(ada, event)] == ["Guido Rossum", "Margaret Hamilton"]


def test_blocks_either_way_and_opting_out_leave_people_out(client, party):
    ada, event = party["ada"], party["event"]
    assert (
        client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": party["grace"].user.id}).status_code
        == 201
    )
    linus = party["linus"]
    assert client.post("/api/v1/me/blocks", headers=linus.headers, json={"user_id": ada.user.id}).status_code == 201
    guido = party["guido"]
    assert client.patch("/api/v1/me", headers=guido.headers, json={"directory_opt_in": False}).status_code == 200
    assert [item["person"]["name"] for item in suggested(ada, event)] == ["Margaret Hamilton"]


def test_the_limit(party):
    ada, event = party["ada"], party["event"]
    assert [item["person"]["name"] for item in suggested(ada, event, limit=2)] == ["Grace Hopper", "Guido Rossum"]
    assert ada.get(f"/api/v1/events/{event.id}/suggestions", query_string={"limit": 0}).status_code == 422
    assert ada.get(f"/api/v1/events/{event.id}/suggestions", query_string={"limit": 51}).status_code == 422


def test_nothing_in_common_suggests_nobody(party):
    bob = party["bob"]  # no topics, no mentoring
    assert suggested(bob, party["event"]) == []


def test_the_person_is_suggested_the_other_way_round_too(party):
    grace = party["grace"]
    items = suggested(grace, party["event"])
    assert ("Linus Torvalds", "You both care about kubernetes") in [
        (item["person"]["name"], item["reason"]) for item in items
    ]


def test_who_may_ask(client, make, party):
    event = party["event"]
    assert client.get(f"/api/v1/events/{event.id}/suggestions").status_code == 401
    stranger = make.user(name="Sam Stranger", email="sam@example.org")
    refused = client.get(f"/api/v1/events/{event.id}/suggestions", headers=make.token(stranger))
    assert refused.status_code == 403
    organizer = client.get(f"/api/v1/events/{event.id}/suggestions", headers=make.token(event.owner))
    assert organizer.status_code == 200 and organizer.json["items"] == []  # the organizer named no topics
    assert client.get("/api/v1/events/999999/suggestions", headers=party["ada"].headers).status_code == 404


def test_suggestions_for_a_whole_event_at_once_are_each_persons_own(client, room):
    """`suggestions_for_each` (the follow-up emails) ranks in Python what `suggestions` ranks in SQL: the same
    people, order and reasons for everyone, blocks and people met included."""
    import random

    from netevents.extensions import db
    from netevents.people.suggestions import suggestions, suggestions_for_each

    rng = random.Random(13)
    words = ["Kubernetes", "go", "Go", "Rust", "Python", "tech leadership", "Data"]
    phones = [room["ada"], room["bob"]] + [
        room["phone"](
            f"Person {name}",
            topics=rng.sample(words, rng.randint(0, 3)),
            mentoring_offered=rng.sample(words, rng.randint(0, 1)),
            mentoring_sought=rng.sample(words, rng.randint(0, 2)),
            directory_opt_in=rng.random() < 0.8,
        )
        for name in ("Alma", "bert", "Cleo", "Dora", "emil", "Fay", "Gus", "Hal", "Ivy", "Jo")
    ]
    phones[0].exchange(phones[3].registration)
    phones[4].exchange(phones[5].registration)
    blocked = client.post("/api/v1/me/blocks", headers=phones[2].headers, json={"user_id": phones[6].user.id})
    assert blocked.status_code in (200, 201), blocked.json
    db.session.expire_all()
    users = [phone.user for phone in phones]
    event_id = room["event"].id
    for limit in (3, 10):
        at_once = suggestions_for_each(users, event_id, limit=limit)
        for user in users:
            assert at_once[user.id] == suggestions(user, event_id, limit=limit), user.name
    assert any(at_once.values())
