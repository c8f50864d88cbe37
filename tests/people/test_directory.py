"""An event's directory: who may look, who is listed, search in the database's full-text index, filters, pages."""

import pytest
from sqlalchemy import select, text

from netevents.accounts.models import User
from netevents.extensions import db
from netevents.people import directory as directory_module
from netevents.people.models import UserTopic
from netevents.people.search import matches, search_terms
from tests.people.conftest import Phone


@pytest.fixture
def people(room):
    """Ada (the viewer) and a few people at the meetup who opted in to the directory."""
    phone = room["phone"]
    listed = {
        "grace": phone(
            "Grace Hopper",
            headline="Rear admiral of compilers",
            company="Navy",
            topics=["Kubernetes", "Compilers"],
            mentoring_offered=["Tech leadership"],
            directory_opt_in=True,
        ),
        "linus": phone(
            "Linus Torvalds",
            headline="Kernel maintainer",
            company="Linux Foundation",
            topics=["Kernels", "Git"],
            mentoring_sought=["Public speaking"],
            directory_opt_in=True,
        ),
        "jose": phone(
            "José Núñez", headline="Data engineer", company="Café Labs", topics=["Data"], directory_opt_in=True
        ),
    }
    hidden = phone("Hidden Person", headline="Kubernetes wizard", company="Secret", topics=["Kubernetes"])
    return {**room, **listed, "hidden": hidden}


def names(response) -> list[str]:
    assert response.status_code == 200, response.json
    return names_of(response.json)


def names_of(page: dict) -> list[str]:
    return [entry["person"]["name"] for entry in page["items"]]


def directory(viewer: Phone, event, **query):
    return viewer.get(f"/api/v1/events/{event.id}/directory", query_string=query)


def test_lists_only_people_who_opted_in_by_name(people):
    ada, event = people["ada"], people["event"]
    assert names(directory(ada, event)) == ["Grace Hopper", "José Núñez", "Linus Torvalds"]


def test_a_person_who_opted_in_sees_themselves_as_listed(people):
    grace, event = people["grace"], people["event"]
    response = directory(grace, event)
    assert names(response) == ["Grace Hopper", "José Núñez", "Linus Torvalds"]
    me = response.json["items"][0]
    assert me["person"]["email"] == "grace.hopper@example.org" and me["connected"] is False


def test_an_organizer_who_is_not_registered_sees_the_directory(client, make, people):
    event = people["event"]
    response = client.get(f"/api/v1/events/{event.id}/directory", headers=make.token(event.owner))
    assert names(response) == ["Grace Hopper", "José Núñez", "Linus Torvalds"]


def test_anonymous_is_asked_to_sign_in(client, people):
    response = client.get(f"/api/v1/events/{people['event'].id}/directory")
    assert response.status_code == 401
    assert response.json["reason"] == "unauthorized"


def test_someone_not_registered_is_refused(client, make, people):
    stranger = make.user(name="Sam Stranger", email="sam@example.org")
    response = client.get(f"/api/v1/events/{people['event'].id}/directory", headers=make.token(stranger))
    assert response.status_code == 403
    assert "confirmed for this event" in response.json["detail"]


def test_a_cancelled_registration_is_refused(client, people):
    ada = people["ada"]
    cancelled = client.post(f"/api/v1/registrations/{ada.registration.id}/cancel", headers=ada.headers)
    assert cancelled.status_code == 200, cancelled.json
    assert directory(ada, people["event"]).status_code == 403


def test_the_waitlist_is_told_it_opens_once_confirmed(client, make, event_now):
    event_now.capacity = 1
    db.session.commit()
    first = Phone(client, make, make.registration(event_now, name="First In", directory_opt_in=True))
    waiting = Phone(client, make, make.registration(event_now, name="Wait Ing"))
    assert waiting.registration.status == "waitlisted"
    response = directory(waiting, event_now)
    assert response.status_code == 403
    assert "waitlist" in response.json["detail"]
    assert names(directory(first, event_now)) == ["First In"]


def test_an_unknown_event_is_not_found(people):
    assert directory(people["ada"], type("E", (), {"id": 999_999})).status_code == 404


def test_a_block_either_way_hides_both(client, people):
    ada, grace, linus, event = people["ada"], people["grace"], people["linus"], people["event"]
    assert client.post("/api/v1/me/blocks", headers=grace.headers, json={"user_id": ada.user.id}).status_code == 201
    assert client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": linus.user.id}).status_code == 201
    assert names(directory(ada, event)) == ["José Núñez"]
    assert "Ada Lovelace" not in names(directory(grace, event))
    assert names(directory(ada, event, q="grace")) == []


def test_connected_says_whether_we_met(people):
    ada, grace, event = people["ada"], people["grace"], people["event"]
    assert ada.exchange(grace.registration).json["result"] == "recorded"
    connected = {entry["person"]["name"]: entry["connected"] for entry in directory(ada, event).json["items"]}
    assert connected == {"Grace Hopper": True, "José Núñez": False, "Linus Torvalds": False}


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("grace", ["Grace Hopper"]),
        ("GRA", ["Grace Hopper"]),
        ("kub", ["Grace Hopper"]),  # a topic, by the start of the word
        ("kubernetes", ["Grace Hopper"]),
        ("tech lead", ["Grace Hopper"]),  # what she mentors in
        ("kernel", ["Linus Torvalds"]),  # headline and topics
        ("foundation", ["Linus Torvalds"]),  # company
        ("linus git", ["Linus Torvalds"]),  # every word must match
        ("linus compilers", []),
        ("jose", ["José Núñez"]),  # accents do not matter
        ("cafe", ["José Núñez"]),
        ("nunez data", ["José Núñez"]),
        ("wizard", []),  # Hidden Person did not opt in
        ("zzz", []),
    ],
)
def test_search_by_name_company_headline_and_topics(people, q, found):
    assert names(directory(people["ada"], people["event"], q=q)) == found


#: Typed into the search box: FTS5 and tsquery syntax, quotes, operators, odd characters.
HOSTILE_QUERIES = [
    '"',
    '"grace',
    "*",
    "grace*",
    "NEAR(grace linus)",
    "NEAR(",
    "grace OR linus",
    "AND",
    "NOT grace",
    "{name}: grace",
    "name:grace",
    "^grace",
    "grace:*A",
    "'",
    "a'b",
    "\\",
    "&|!()<>",
    "-grace",
    "+grace",
    "(",
    ")",
    "😀",
    "_",
    "%",
    "x" * 100,
]


def test_a_control_character_in_a_search_is_refused_naming_the_field(people):
    response = directory(people["ada"], people["event"], q="grace\x00")
    assert response.status_code == 422 and "q" in response.json["errors"]


def test_anything_typed_is_words_to_find_never_query_syntax(people):
    for q in HOSTILE_QUERIES:
        response = directory(people["ada"], people["event"], q=q)
        assert response.status_code == 200, (q, response.json)
        if search_terms(q) == ["grace"]:
            assert names(response) == ["Grace Hopper"], q


def test_a_query_without_words_lists_everyone(people):
    assert names(directory(people["ada"], people["event"], q='"*"')) == ["Grace Hopper", "José Núñez", "Linus Torvalds"]


def test_search_finds_only_what_the_viewer_can_see(client, people):
    """Grace shows her company to connections only: searching it finds her for a connection and an organizer (who
    has it from registration), not for someone who merely is at the event."""
    ada, bob, grace, event = people["ada"], people["bob"], people["grace"], people["event"]
    shared = client.patch("/api/v1/me", headers=grace.headers, json={"sharing": {"company": "connections"}})
    assert shared.status_code == 200
    assert names(directory(ada, event, q="navy")) == []
    assert names(directory(ada, event, q="grace")) == ["Grace Hopper"]
    assert bob.exchange(grace.registration).json["result"] == "recorded"
    assert names(directory(bob, event, q="navy")) == ["Grace Hopper"]
    assert names(directory(grace, event, q="navy")) == ["Grace Hopper"]  # herself
    # A removed connection is no longer a connection: its connections-only details are not searched either.
    connection_id = bob.connections()[0]["id"]
    assert client.delete(f"/api/v1/me/connections/{connection_id}", headers=grace.headers).status_code == 204
    assert names(directory(bob, event, q="navy")) == []


def test_an_organizer_finds_in_the_directory_only_what_anyone_at_the_event_may_see(client, make, people):
    grace, event = people["grace"], people["event"]
    organizer = make.token(event.owner)
    search = {"q": "navy admiral"}
    found = client.get(f"/api/v1/events/{event.id}/directory", headers=organizer, query_string=search)
    assert names(found) == ["Grace Hopper"]
    client.patch("/api/v1/me", headers=grace.headers, json={"sharing": {"company": "nobody", "headline": "nobody"}})
    hidden = client.get(f"/api/v1/events/{event.id}/directory", headers=organizer, query_string=search)
    assert names(hidden) == []
    assert names(directory(people["ada"], event, q="navy")) == []


def test_the_index_follows_profile_changes_and_erasure(client, people):
    ada, linus, event = people["ada"], people["linus"], people["event"]
    changed = client.patch(
        "/api/v1/me", headers=linus.headers, json={"topics": ["Rust"], "company": "Penguin", "name": "Linus T"}
    )
    assert changed.status_code == 200
    assert names(directory(ada, event, q="rust penguin")) == ["Linus T"]
    assert names(directory(ada, event, q="git")) == []
    assert names(directory(ada, event, q="torvalds")) == []
    left = client.patch("/api/v1/me", headers=linus.headers, json={"directory_opt_in": False})
    assert left.status_code == 200
    assert names(directory(ada, event, q="rust")) == []
    assert set(db.session.scalars(select(User.id).where(matches(["penguin"], ["company"])))) == {linus.user.id}
    assert client.delete("/api/v1/me", headers=linus.headers).status_code == 204
    assert (
        set(db.session.scalars(select(User.id).where(matches(["penguin"], ["company"])))) == set()
    )  # erased from the index too
    db.session.rollback()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"mentors_in": "tech leadership"}, ["Grace Hopper"]),
        ({"mentors_in": "Tech Leadership"}, ["Grace Hopper"]),
        ({"mentors_in": "tech"}, []),  # a topic, not a word of one
        ({"seeks_mentor_in": "public speaking"}, ["Linus Torvalds"]),
        ({"seeks_mentor_in": "tech leadership"}, []),
        ({"mentors_in": "tech leadership", "q": "navy"}, ["Grace Hopper"]),
        ({"mentors_in": "tech leadership", "q": "linus"}, []),
        ({"topic": "kubernetes"}, ["Grace Hopper"]),  # not Hidden Person, who cares too but is not listed
        ({"topic": "KUBERNETES"}, ["Grace Hopper"]),
        ({"topic": "kube"}, []),  # a topic, not the start of one
        ({"topic": "public speaking"}, []),  # what Linus looks for a mentor in is not one of his topics
        ({"topic": "git", "seeks_mentor_in": "public speaking"}, ["Linus Torvalds"]),
        ({"topic": "git", "mentors_in": "tech leadership"}, []),
        ({"topic": "data", "q": "café"}, ["José Núñez"]),
    ],
)
def test_filters_by_topic_and_mentoring(people, query, found):
    assert names(directory(people["ada"], people["event"], **query)) == found


def test_pages(room, client):
    phone, event = room["phone"], room["event"]
    for number in range(23):
        phone(f"Person {number:02d}", topics=["Go"], directory_opt_in=True)
    ada = room["ada"]
    seen = []
    for page in (1, 2, 3):
        response = directory(ada, event, page=page, per_page=10, q="go")
        assert response.status_code == 200
        body = response.json
        assert (body["page"], body["per_page"], body["total"], body["pages"]) == (page, 10, 23, 3)
        seen += names(response)
    assert seen == [f"Person {number:02d}" for number in range(23)]
    assert names(directory(ada, event, page=4, per_page=10)) == []
    assert directory(ada, event, per_page=101).status_code == 422
    assert directory(ada, event, page=0).status_code == 422


def test_the_search_uses_the_full_text_index(people):
    """Asked of the database's planner: the search reads the FTS5 table (SQLite) or the GIN index (PostgreSQL)."""
    query = select(User.id).where(matches(["kub"], ["name", "interests"]))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
        assert "ix_user_account_search_vector" in plan, plan
    else:
        plan = "\n".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan and "user_search" in plan, plan
    found = set(db.session.scalars(query))
    assert found == {people["grace"].user.id, people["hidden"].user.id}  # the index has everyone, listed or not
    db.session.rollback()


@pytest.mark.parametrize(
    "query",
    [{}, {"q": "kub"}, {"q": "navy"}, {"q": "o"}, {"mentors_in": "Tech leadership"}, {"page": 2, "per_page": 2}],
)
def test_a_page_of_many_read_in_name_order_is_the_same_page(people, monkeypatch, query):
    """From COUNTED_UP_TO people, a page is read along the index of names: the same people, in the same order."""
    ada, event = people["ada"], people["event"]
    people["phone"]("Ada Other", company="Kubecorp", directory_opt_in=True)
    sorted_page = directory(ada, event, **query).json
    monkeypatch.setattr(directory_module, "COUNTED_UP_TO", 1)
    in_name_order = directory(ada, event, **query).json
    assert in_name_order["total_capped"] and not sorted_page["total_capped"]
    assert in_name_order["items"] == sorted_page["items"] and (sorted_page["items"] or query.get("page"))


def test_a_broad_search_is_counted_up_to_a_cap(room, monkeypatch):
    phone, event, ada = room["phone"], room["event"], room["ada"]
    for number in range(7):
        phone(f"Person {number:02d}", topics=["Go"], directory_opt_in=True)
    monkeypatch.setattr(directory_module, "COUNTED_UP_TO", 5)
    body = directory(ada, event, q="go", per_page=2, page=3).json
    assert (body["total"], body["pages"], body["total_capped"]) == (5, 3, True)  # at least 5 people, 3 pages
    assert names_of(body) == ["Person 04", "Person 05"]
    assert names_of(directory(ada, event, q="go", per_page=2, page=4).json) == ["Person 06"]  # beyond the floor
    exact = directory(ada, event, q="person 03").json
    assert (exact["total"], exact["total_capped"]) == (1, False)


def test_the_topics_index_follows_profile_changes_and_erasure(client, people):
    """user_topic is kept by triggers on user_account: a profile edit rewrites a person's rows, erasure drops them."""
    linus = people["linus"]

    def rows():
        db.session.rollback()
        return set(
            db.session.execute(select(UserTopic.kind, UserTopic.topic).where(UserTopic.user_id == linus.user.id))
        )

    assert rows() == {("topic", "kernels"), ("topic", "git"), ("seeks", "public speaking")}
    changed = client.patch(
        "/api/v1/me",
        headers=linus.headers,
        json={"topics": ["Rust", "rust", "Go"], "mentoring_offered": ["Kernels"], "mentoring_sought": []},
    )
    assert changed.status_code == 200, changed.json
    assert rows() == {("topic", "rust"), ("topic", "go"), ("offers", "kernels")}
    assert names(directory(people["ada"], people["event"], mentors_in="KERNELS")) == ["Linus Torvalds"]
    assert client.delete("/api/v1/me", headers=linus.headers).status_code == 204
    assert rows() == set()
