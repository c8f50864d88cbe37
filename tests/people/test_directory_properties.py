"""Property: in any small world (who opted in, who is confirmed, who blocked or met whom, who shares what with whom),
the directory and suggestions list exactly whom the visibility policy lets the viewer see there, never anyone who
opted out or is blocked either way, and a search finds exactly those whose visible card has every word."""

import itertools
import re
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from netevents.accounts.models import User, Visibility
from netevents.db import utcnow
from netevents.errors import Forbidden
from netevents.extensions import db
from netevents.people import directory as directory_module
from netevents.people.connections import connect, remove_side
from netevents.people.directory import COUNTED_UP_TO, directory
from netevents.people.models import Block, ConnectionSide
from netevents.people.relations import relations_to
from netevents.people.suggestions import suggestions
from netevents.people.visibility import listed_in_directory
from netevents.registrations.models import RegistrationStatus
from netevents.registrations.services import register

FIRST = ["Ada", "Kim", "Rustam", "Goran"]
TOPICS = ["Kubernetes", "Kotlin", "Go", "Rust", "Tech leadership"]
HEADLINES = ["Kernel hacker", "Go developer", "Staff engineer", ""]
COMPANIES = ["Kubecorp", "Rustworks", "Acme", ""]
QUERIES = ["", "ku", "go", "rust", "tech", "staff", "acme", "kernel", "ada", "kim go", "zz"]
_counter = itertools.count()

person = st.fixed_dictionaries(
    {
        "first": st.sampled_from(FIRST),
        "status": st.sampled_from([RegistrationStatus.confirmed] * 3 + [RegistrationStatus.cancelled]),
        "opt_in": st.booleans(),
        "topics": st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
        "offered": st.lists(st.sampled_from(TOPICS), max_size=2, unique=True),
        "sought": st.lists(st.sampled_from(TOPICS), max_size=2, unique=True),
        "headline": st.sampled_from(HEADLINES),
        "company": st.sampled_from(COMPANIES),
        "headline_visibility": st.sampled_from(Visibility),
        "company_visibility": st.sampled_from(Visibility),
    }
)


@st.composite
def worlds(draw):
    """People 0..n-1 at one event; the viewer is person 0, or the event's organizer (not registered)."""
    people = draw(st.lists(person, min_size=2, max_size=6))
    pairs = [(a, b) for a in range(len(people)) for b in range(len(people)) if a != b]
    # Pairs with the viewer in them, drawn more often: they are what the properties are about.
    viewers_pairs = [(a, b) for a, b in pairs if 0 in (a, b)]
    some_pairs = st.one_of(st.sampled_from(viewers_pairs), st.sampled_from(pairs))
    return {
        "people": people,
        "blocks": draw(st.lists(some_pairs, unique=True, max_size=3)),
        "connections": draw(st.lists(some_pairs.map(sorted).map(tuple), unique=True, max_size=6)),
        # Which sides of the connections their person removed.
        "removed": draw(st.lists(some_pairs, unique=True, max_size=3)),
        "organizer_views": draw(st.booleans()),
        "q": draw(st.sampled_from(QUERIES)),
        "topic": draw(st.sampled_from([None, *TOPICS])),
        "mentors_in": draw(st.sampled_from([None, *TOPICS])),
        # Count up to one person: any match is "many", and pages are read along the index of names.
        "count_up_to": draw(st.sampled_from([COUNTED_UP_TO, 1])),
    }


def build(make, organizer, world):
    event = make.event(organizer, starts_at=utcnow().replace(microsecond=0), title="Property Night")
    users = []
    for spec in world["people"]:
        number = next(_counter)
        registration = register(
            event.id,
            {
                "name": f"{spec['first']} P{number}",
                "email": f"p{number}@example.org",
                "headline": spec["headline"],
                "company": spec["company"],
                "topics": spec["topics"],
                "mentoring_offered": spec["offered"],
                "mentoring_sought": spec["sought"],
                "directory_opt_in": spec["opt_in"],
            },
            signed_in=None,
            notify=False,
        )
        registration.status = spec["status"]
        user = registration.user
        user.headline_visibility, user.company_visibility = spec["headline_visibility"], spec["company_visibility"]
        users.append(user)
    db.session.flush()
    for blocker, blocked in world["blocks"]:
        db.session.add(Block(blocker_id=users[blocker].id, blocked_id=users[blocked].id))
    for a, b in world["connections"]:
        connect(users[a].id, users[b].id)
    for a, b in world["removed"]:
        side = db.session.scalar(
            select(ConnectionSide).where(ConnectionSide.user_id == users[a].id, ConnectionSide.other_id == users[b].id)
        )
        if side is not None:
            remove_side(side)
    db.session.commit()
    return event, users


def visible_words(card) -> set[str]:
    texts = [card.name, card.headline, card.company, *(card.topics or ()), *(card.mentoring_offered or ())]
    texts += list(card.mentoring_sought or ())
    return {word.lower() for text in texts if text for word in re.findall(r"[^\W_]+", text)}


@given(world=worlds())
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_directory_and_suggestions_list_exactly_whom_the_policy_lets_the_viewer_see(app, make, world):
    organizer = _organizer(make)
    event, users = build(make, organizer, world)
    viewer = organizer if world["organizer_views"] else users[0]
    if not world["organizer_views"] and world["people"][0]["status"] != RegistrationStatus.confirmed:
        for call in (
            lambda: directory(viewer, event.id, page=1, per_page=100),
            lambda: suggestions(viewer, event.id, limit=50),
        ):
            try:
                call()
            except Forbidden:
                continue
            raise AssertionError("someone not confirmed for the event saw its directory")
        return

    blocked = (
        set() if world["organizer_views"] else {users[b if a == 0 else a].id for a, b in world["blocks"] if 0 in (a, b)}
    )
    opted_out = {user.id for user, spec in zip(users, world["people"], strict=True) if not spec["opt_in"]}
    not_confirmed = {
        user.id
        for user, spec in zip(users, world["people"], strict=True)
        if spec["status"] != RegistrationStatus.confirmed
    }
    relations = relations_to(viewer.id, [user.id for user in users], event_id=event.id)
    policy = {
        user.id
        for user in users
        if listed_in_directory(user, relations[user.id]) and user.id not in not_confirmed and user.directory_opt_in
    }

    with patch.object(directory_module, "COUNTED_UP_TO", world["count_up_to"]):
        everyone = directory(viewer, event.id, page=1, per_page=100)
        found = directory(
            viewer,
            event.id,
            page=1,
            per_page=100,
            q=world["q"],
            topic=world["topic"],
            mentors_in=world["mentors_in"],
        )
    listed = {entry.person.user_id for entry in everyone["items"]}
    assert not listed & (blocked | opted_out | not_confirmed)
    assert listed == policy
    assert everyone["total"] == min(len(listed), world["count_up_to"])
    cards = {entry.person.user_id: entry.person for entry in everyone["items"]}

    terms = re.findall(r"[^\W_]+", world["q"].lower())
    expected = {
        user_id
        for user_id, card in cards.items()
        if all(any(word.startswith(term) for word in visible_words(card)) for term in terms)
        and (world["topic"] is None or world["topic"] in (card.topics or ()))
        and (world["mentors_in"] is None or world["mentors_in"] in (card.mentoring_offered or ()))
    }
    assert {entry.person.user_id for entry in found["items"]} == expected

    met = (
        set()
        if world["organizer_views"]
        else {users[b if a == 0 else a].id for a, b in world["connections"] if 0 in (a, b)}
    )
    suggested = suggestions(viewer, event.id, limit=50)
    suggested_ids = {suggestion.person.user_id for suggestion in suggested}
    assert not suggested_ids & (blocked | opted_out | not_confirmed | met | {viewer.id})
    in_common = {
        user_id
        for user_id, card in cards.items()
        if {t.lower() for t in viewer.topics} & {t.lower() for t in card.topics or ()}
        or {t.lower() for t in viewer.mentoring_sought} & {t.lower() for t in card.mentoring_offered or ()}
        or {t.lower() for t in viewer.mentoring_offered} & {t.lower() for t in card.mentoring_sought or ()}
    }
    assert suggested_ids == in_common - met - {viewer.id}
    assert all(suggestion.reason for suggestion in suggested)


def _organizer(make):
    """One organizer for all the examples (signing up hashes a password: slow)."""
    existing = db.session.scalar(select(User).where(User.email == "olivia@example.org"))
    return existing or make.user(name="Olivia Organizer", email="olivia@example.org")
