"""An event's directory: the people confirmed for it who chose to be listed, found by words and by mentoring, each as
the viewer may see them. Who is listed and what shows follow people/visibility.py; this module only turns its
answers into SQL, so that a page and its count come from the database (search included) and not from Python.

A search matches only what the viewer can see of a person: a word in a company that Ada shows to her connections
finds her for her connections, and for nobody else. The columns searched for each person are asked of
`visibility.shows` for every sharing choice and every relation the viewer can have to people listed here.

People are counted up to COUNTED_UP_TO, and a page of that many is read in name order from an index: the cost of a
page of a 10,000-person event does not grow with how many match (bench/directory_bench.py).
"""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import BindParameter, ColumnElement, Select, and_, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from netevents.accounts.models import User, Visibility
from netevents.errors import Forbidden
from netevents.events.services import get_visible_event, is_organizer
from netevents.extensions import db
from netevents.pagination import count, page_of
from netevents.people import relations
from netevents.people.search import (
    MENTORS_IN,
    SEEKS_MENTOR_IN,
    TOPICS,
    found_only_in,
    matches,
    search_terms,
    with_topic,
)
from netevents.people.visibility import PersonCard, Relation, card_for, listed_in_directory, shows, shows_interests
from netevents.registrations.models import Registration, RegistrationStatus

#: People matching a search are counted up to this many (the page says when there are more); from this many, a
#: page is read along the index of names.
COUNTED_UP_TO = 1000


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    person: PersonCard
    #: We met and neither of us removed the connection.
    connected: bool


def directory_viewer(event_id: int, user: User) -> Relation:
    """How the viewer stands to everyone the event's directory lists: confirmed for the event (co-attendee), its
    organizer, or both. Anyone else is refused (404 for an event they may not see, 403 otherwise)."""
    event = get_visible_event(event_id, user)
    status = db.session.scalar(
        select(Registration.status).where(Registration.event_id == event.id, Registration.user_id == user.id)
    )
    relation = Relation.stranger
    if status == RegistrationStatus.confirmed:
        relation |= Relation.co_attendee
    if is_organizer(event, user):
        relation |= Relation.organizer
    if relation == Relation.stranger:
        if status == RegistrationStatus.waitlisted:
            raise Forbidden("You are on this event's waitlist: who is here shows once your place is confirmed.")
        raise Forbidden("Only the people confirmed for this event and its organizers see who is here.")
    return relation


def listed(
    event_id: int | BindParameter[int], viewer_id: int | BindParameter[int], *, in_name_order: bool = False
) -> Select:
    """The ids of the people the event's directory lists to the viewer (`visibility.listed_in_directory` in SQL):
    confirmed for the event, opted in, and no block between them and the viewer. Ids, not rows: the database sorts
    and counts thousands of people, of whom a page is then loaded.

    `in_name_order`: for a page of many people, read people along the index of names (lower(name), id), looking
    up each one's registration, and stop at the page. Asked as a list of the event's registrations, the database
    would start from it (SQLite always, having no statistics) and sort thousands of people to show twenty."""
    listed_people = [User.directory_opt_in.is_(True), relations.no_block_with(viewer_id)]
    if not in_name_order:
        return (
            select(User.id)
            .join(Registration, Registration.user_id == User.id)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.confirmed,
                *listed_people,
            )
        )
    registered = select(Registration.id).where(
        Registration.event_id == event_id,
        Registration.user_id == User.id,
        Registration.status == RegistrationStatus.confirmed,
    )
    return select(User.id).where(exists(registered), *listed_people)


def entries(viewer_id: int, people: Collection[User], event_id: int) -> list[DirectoryEntry]:
    """People of the directory as the viewer sees them now; anyone the policy does not list is left out."""
    relations_now = relations.relations_to(viewer_id, [person.id for person in people], event_id=event_id)
    found = []
    for person in people:
        relation = relations_now[person.id]
        card = card_for(person, relation)
        if card is not None and listed_in_directory(person, relation):
            found.append(DirectoryEntry(person=card, connected=Relation.connection in relation))
    return found


def entries_for_each(wanted: dict[int, list[User]], event_id: int) -> dict[int, list[DirectoryEntry]]:
    """`entries(viewer, people, event_id)` of each viewer's people in `wanted` (by viewer id), in a fixed number
    of queries for them all."""
    relations_now = relations.relations_at_event(
        [(viewer_id, person.id) for viewer_id, people in wanted.items() for person in people], event_id
    )
    found: dict[int, list[DirectoryEntry]] = {}
    for viewer_id, people in wanted.items():
        found[viewer_id] = []
        for person in people:
            relation = relations_now[viewer_id, person.id]
            card = card_for(person, relation)
            if card is not None and listed_in_directory(person, relation):
                found[viewer_id].append(DirectoryEntry(person=card, connected=Relation.connection in relation))
    return found


def directory(
    user: User,
    event_id: int,
    *,
    page: int,
    per_page: int,
    q: str | None = None,
    topic: str | None = None,
    mentors_in: str | None = None,
    seeks_mentor_in: str | None = None,
) -> dict:
    """A page of the event's directory, by name: those matching every word of `q` (in what the viewer can see of
    them), who care about `topic`, who mentor in `mentors_in`, who look for a mentor in `seeks_mentor_in`."""
    viewer = directory_viewer(event_id, user)
    terms = search_terms(q or "")

    def found(in_name_order: bool) -> Select:
        query = listed(event_id, user.id, in_name_order=in_name_order)
        if terms:
            query = query.where(_search(terms, user.id, viewer, lead=not in_name_order))
        for kind, wanted in ((TOPICS, topic), (MENTORS_IN, mentors_in), (SEEKS_MENTOR_IN, seeks_mentor_in)):
            if wanted:
                # Topics and mentoring go with the interests on a listed person's card: a filter never finds what is
                # not shown.
                query = query.where(User.id.in_(with_topic(kind, wanted)) if shows_interests(True, viewer) else false())
        return query

    # Counted from the few the indexes find (people matching a search, or the event's registrations, up to
    # COUNTED_UP_TO); a page of that many or more is read in name order, a page of fewer is sorted.
    counted = found(in_name_order=False)
    total = count(counted, up_to=COUNTED_UP_TO)
    capped = total >= COUNTED_UP_TO
    # The same statement when it is sorted (built once: building a search is a good part of its CPU).
    listing = found(in_name_order=True) if capped else counted
    result = page_of(listing.order_by(func.lower(User.name), User.id), total, page, per_page)
    return {**result, "items": entries(user.id, people(result["items"]), event_id), "total_capped": capped}


def people(ids: list[int]) -> list[User]:
    """The people of these ids, in the same order."""
    found = {person.id: person for person in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return [found[person_id] for person_id in ids if person_id in found]


def _search(terms: list[str], viewer_id: int, viewer: Relation, *, lead: bool) -> ColumnElement[bool]:
    """Whether every term starts a word in what the viewer can see of a listed person.

    The viewer relates to each listed person as `viewer` (co-attendee and/or organizer), plus connected or met
    before (a removed connection), or as themselves. For each of those relations and each sharing choice, the
    visibility policy says whether headline, company and interests are shown; `_shown` writes that as SQL. A
    person matches when each term is found in a column shown of them: in a column shown of everyone, or in one
    shown of them. The full-text index first finds the terms in any column; then only the few people in whom a
    term is found solely in columns that may be hidden need their sharing choices read. `lead`: the people the
    index finds may be where the database starts (see `search.matches`).
    """
    connected, met = User.id.in_(relations.connected(viewer_id)), User.id.in_(relations.met(viewer_id))
    others = User.id != viewer_id
    states = [
        (Relation.self, User.id == viewer_id),
        (viewer | Relation.connection, and_(others, connected)),
        (viewer | Relation.met, and_(others, met, ~connected)),
        (viewer, and_(others, ~met)),
    ]
    shown = {
        "headline": _shown(User.headline_visibility, "headline", states),
        "company": _shown(User.company_visibility, "company", states),
        "interests": _shown_if([shows_interests(True, relation) for relation, _ in states], states),
    }
    always = ["name"] + [column for column, condition in shown.items() if condition is True]
    optional = [column for column, condition in shown.items() if not isinstance(condition, bool)]
    anywhere = matches(terms, [*always, *optional], lead=lead)
    if not optional:
        return anywhere
    return and_(
        anywhere,
        *(
            or_(
                not_(found_only_in(term, optional, always)),
                *(and_(shown[column], matches([term], [column], lead=False)) for column in optional),
            )
            for term in terms
        ),
    )


def _shown(choice: InstrumentedAttribute[Visibility], detail: str, states) -> ColumnElement[bool] | bool:
    """Whether a person's `detail`, under their `choice`, is shown to the viewer, who stands to them in one of the
    `states` (relation, SQL condition for people so related); True or False when it is so for everyone."""
    shown_under = [({v for v in Visibility if shows(detail, v, relation)}, in_state) for relation, in_state in states]
    everywhere = set.intersection(*(choices for choices, _ in shown_under))
    if everywhere == set(Visibility):
        return True
    if not any(choices for choices, _ in shown_under):
        return False
    return or_(
        _chosen(choice, everywhere),
        *(and_(in_state, _chosen(choice, choices - everywhere)) for choices, in_state in shown_under),
    )


def _shown_if(shown: list[bool], states) -> ColumnElement[bool] | bool:
    """Whether something shown in some of the `states` is shown of a person; True or False when it is for everyone."""
    if all(shown):
        return True
    if not any(shown):
        return False
    return or_(*(in_state for is_shown, (_, in_state) in zip(shown, states, strict=True) if is_shown))


def _chosen(choice: InstrumentedAttribute[Visibility], choices: set[Visibility]) -> ColumnElement[bool]:
    if not choices:
        return false()
    if choices == set(Visibility):
        return true()
    return choice.in_(sorted(choices))
