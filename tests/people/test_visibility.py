"""The visibility policy on its own: each sharing choice x each relation, without a database."""

from types import SimpleNamespace

import pytest

from netevents.accounts.models import CONTACT_DETAILS, Visibility
from netevents.people.visibility import (
    Relation,
    card_for,
    listed_in_directory,
    may_see,
    name_despite_block,
    shows,
    shows_interests,
)

EVERYONE, CONNECTIONS, NOBODY = Visibility.everyone, Visibility.connections, Visibility.nobody

# Relation -> the choices it sees a detail under.
SEES = {
    Relation.self: {EVERYONE, CONNECTIONS, NOBODY},
    Relation.connection: {EVERYONE, CONNECTIONS},
    Relation.co_attendee: {EVERYONE},
    Relation.organizer: {EVERYONE},
    # Whoever holds a badge may be anyone: of what is shared with everyone, only what is printed on the badge.
    Relation.badge: set(),
    Relation.met: set(),
    Relation.stranger: set(),
    Relation.blocked: set(),
    Relation.connection | Relation.blocked: set(),
    Relation.co_attendee | Relation.blocked: set(),
}


def person(choice: Visibility, **fields):
    values = dict(
        id=7,
        name="Ada Lovelace",
        email="ada@example.org",
        phone="+44 20 7946 0000",
        headline="Staff engineer",
        company="Analytical",
        links=[{"label": "GitHub", "url": "https://github.com/ada"}],
        topics=["compilers"],
        mentoring_offered=["careers"],
        mentoring_sought=[],
        directory_opt_in=False,
    )
    values.update({f"{detail}_visibility": choice for detail in CONTACT_DETAILS})
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.parametrize("relation", list(SEES), ids=lambda r: str(r))
@pytest.mark.parametrize("choice", [EVERYONE, CONNECTIONS, NOBODY], ids=str)
def test_each_choice_for_each_relation(choice, relation):
    assert may_see(choice, relation) == (choice in SEES[relation])
    card = card_for(person(choice), relation)
    if Relation.blocked in relation or relation in (Relation.stranger,):
        assert card is None
        return
    assert card.name == "Ada Lovelace"
    for detail in CONTACT_DETAILS:
        shown = getattr(card, detail) is not None
        printed = relation == Relation.badge and choice == EVERYONE and detail in ("headline", "company")
        assert shown == (choice in SEES[relation] or printed), detail
    if relation == Relation.badge:
        assert card.topics is None and card.mentoring_offered is None


def test_details_are_chosen_one_by_one():
    ada = person(NOBODY, email_visibility=CONNECTIONS, company_visibility=EVERYONE)
    at_the_event = card_for(ada, Relation.co_attendee)
    assert (at_the_event.company, at_the_event.email, at_the_event.phone) == ("Analytical", None, None)
    connected = card_for(ada, Relation.connection | Relation.co_attendee)
    assert (connected.company, connected.email, connected.phone) == ("Analytical", "ada@example.org", None)


def test_organizers_see_on_a_card_what_anyone_at_the_event_sees_and_no_more():
    """What registration collected they read in their attendee list, from the registration (as it was typed)."""
    card = card_for(person(NOBODY), Relation.organizer)
    assert card.name == "Ada Lovelace"
    assert all(getattr(card, detail) is None for detail in CONTACT_DETAILS) and card.topics is None
    assert card_for(person(EVERYONE), Relation.organizer).email == "ada@example.org"


def test_a_removed_connection_keeps_only_the_name():
    card = card_for(person(CONNECTIONS), Relation.met)
    assert card.name == "Ada Lovelace"
    assert all(getattr(card, detail) is None for detail in CONTACT_DETAILS)


def test_topics_go_to_connections_and_to_the_event_only_with_the_directory_opt_in():
    assert card_for(person(NOBODY), Relation.connection).topics == ("compilers",)
    assert card_for(person(NOBODY), Relation.co_attendee).topics is None
    assert card_for(person(NOBODY, directory_opt_in=True), Relation.co_attendee).topics == ("compilers",)
    assert card_for(person(NOBODY, directory_opt_in=True), Relation.met).topics is None


def test_the_directory_lists_only_people_who_opted_in_and_never_across_a_block():
    assert not listed_in_directory(person(EVERYONE), Relation.co_attendee)
    assert listed_in_directory(person(EVERYONE, directory_opt_in=True), Relation.co_attendee)
    assert not listed_in_directory(person(EVERYONE, directory_opt_in=True), Relation.co_attendee | Relation.blocked)
    assert not listed_in_directory(person(EVERYONE, directory_opt_in=True), Relation.stranger)


def test_the_directory_lists_to_its_organizers_too_but_only_who_opted_in():
    assert listed_in_directory(person(NOBODY, directory_opt_in=True), Relation.organizer)
    assert not listed_in_directory(person(EVERYONE), Relation.organizer)
    assert not listed_in_directory(person(EVERYONE, directory_opt_in=True), Relation.organizer | Relation.blocked)


@pytest.mark.parametrize("relation", list(SEES), ids=lambda r: str(r))
@pytest.mark.parametrize("choice", [EVERYONE, CONNECTIONS, NOBODY], ids=str)
def test_shows_is_what_the_card_shows(choice, relation):
    """The directory's search asks `shows` which details to search: it must agree with the card."""
    card = card_for(person(choice), relation)
    for detail in CONTACT_DETAILS:
        on_card = card is not None and getattr(card, detail) is not None
        assert on_card == (card is not None and shows(detail, choice, relation)), detail
    for opted_in in (True, False):
        card = card_for(person(choice, directory_opt_in=opted_in), relation)
        assert (card is not None and card.topics is not None) == (
            card is not None and shows_interests(opted_in, relation)
        )


def test_a_blocker_still_knows_whom_they_blocked_but_not_a_stranger():
    assert name_despite_block(person(NOBODY), Relation.met | Relation.blocked) == "Ada Lovelace"
    assert name_despite_block(person(NOBODY), Relation.blocked) is None


@pytest.mark.parametrize(
    ("relation", "listed", "named"),
    [
        (Relation.connection, False, True),
        (Relation.met, False, True),
        (Relation.organizer, False, True),
        (Relation.co_attendee, True, True),  # the directory listed her: blocked from there
        (Relation.co_attendee, False, False),  # at an event with her, out of its directory: blocked by number
        (Relation.stranger, True, False),
    ],
)
def test_a_block_names_only_someone_met_organized_or_found_in_a_directory(relation, listed, named):
    ada = person(EVERYONE, directory_opt_in=listed)
    for blocked in (relation, relation | Relation.blocked):
        assert (name_despite_block(ada, blocked) == "Ada Lovelace") is named
