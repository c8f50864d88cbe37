"""How a viewer is related to people, read from the database as it is now: the input of people/visibility.py.

One query however many people are asked about (blocks, connections, shared events, organized events, each a
part of one UNION ALL), so a list of connections, a directory page or the answer to an exchange costs the same
as one person, and one round trip.
"""

from collections.abc import Collection, Iterable
from functools import partial

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    exists,
    literal_column,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Bundle, aliased

from netevents.accounts.models import User
from netevents.db import among_ids, execute_in_dialect, in_dialect
from netevents.events.models import EventOrganizer
from netevents.extensions import db
from netevents.people.models import Block, ConnectionSide
from netevents.people.visibility import PersonCard, Relation, card_for
from netevents.registrations.models import Registration, RegistrationStatus

#: The columns of a person that the visibility policy reads (`visibility.Person`), for lists that read hundreds
#: of people and only show them: a row of columns costs a fraction of a `User` entity to load.
PERSON_SEEN = Bundle(
    "person",
    User.id,
    User.name,
    User.email,
    User.phone,
    User.headline,
    User.company,
    User.links,
    User.topics,
    User.mentoring_offered,
    User.mentoring_sought,
    User.directory_opt_in,
    User.email_visibility,
    User.phone_visibility,
    User.links_visibility,
    User.company_visibility,
    User.headline_visibility,
)


def relations_to(
    viewer_id: int | None, person_ids: Iterable[int], *, event_id: int | None = None
) -> dict[int, Relation]:
    """How the viewer (None: nobody signed in) is related to each person.

    With `event_id`, only that event makes people co-attendees, or the viewer their organizer (an event's
    directory); without it, any event does.
    """
    ids = set(person_ids)
    relations = dict.fromkeys(ids, Relation.stranger)
    if viewer_id is None or not ids:
        return relations
    others = ids - {viewer_id}
    if viewer_id in ids:
        relations[viewer_id] = Relation.self
    if not others:
        return relations
    values = {"viewer": viewer_id, "others": list(others), "event": event_id}
    # All rows at once (`all()`): iterating a result would fetch them one call at a time.
    for relation, person_id in execute_in_dialect(_RELATIONS[event_id is not None], values).all():
        relations[person_id] |= Relation(relation)
    return relations


def relations_at_event(pairs: Collection[tuple[int, int]], event_id: int) -> dict[tuple[int, int], Relation]:
    """`relations_to(viewer, [person], event_id=event_id)` of each (viewer, person) pair, in five queries however
    many pairs (the suggestions of a chunk of people, for their follow-up emails)."""
    relations = dict.fromkeys(pairs, Relation.stranger)
    viewers = list({viewer for viewer, _ in relations})
    people = list({person for _, person in relations})
    if not relations:
        return relations
    for pair in relations:
        if pair[0] == pair[1]:
            relations[pair] = Relation.self
    blocks = select(Block.blocker_id, Block.blocked_id).where(
        or_(
            and_(Block.blocker_id.in_(viewers), Block.blocked_id.in_(people)),
            and_(Block.blocked_id.in_(viewers), Block.blocker_id.in_(people)),
        )
    )
    for blocker, blocked in db.session.execute(blocks):
        for pair in ((blocker, blocked), (blocked, blocker)):
            if pair in relations and pair[0] != pair[1]:
                relations[pair] |= Relation.blocked
    connections = (
        select(_mine.user_id, _mine.other_id, _mine.removed_at.is_(None) & _theirs.removed_at.is_(None))
        .join(_theirs, and_(_theirs.connection_id == _mine.connection_id, _theirs.user_id == _mine.other_id))
        .where(_mine.user_id.in_(viewers), _mine.other_id.in_(people))
    )
    for viewer_id, person_id, kept in db.session.execute(connections):
        if (viewer_id, person_id) in relations:
            relations[viewer_id, person_id] |= Relation.connection if kept else Relation.met
    # At one event, co-attendance is both being confirmed for it; organizing, the viewer organizing it and the
    # person being registered for it (in any state).
    confirmed = set(
        db.session.scalars(
            select(Registration.user_id).where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.confirmed,
                Registration.user_id.in_(set(viewers) | set(people)),
            )
        )
    )
    organizers = set(db.session.scalars(select(EventOrganizer.user_id).where(EventOrganizer.event_id == event_id)))
    registered = set(
        db.session.scalars(
            select(Registration.user_id).where(Registration.event_id == event_id, Registration.user_id.in_(people))
        )
    )
    for viewer_id, person_id in relations:
        if viewer_id == person_id:
            continue
        if viewer_id in confirmed and person_id in confirmed:
            relations[viewer_id, person_id] |= Relation.co_attendee
        if viewer_id in organizers and person_id in registered:
            relations[viewer_id, person_id] |= Relation.organizer
    return relations


def relation_to(viewer_id: int | None, person_id: int, *, event_id: int | None = None) -> Relation:
    return relations_to(viewer_id, [person_id], event_id=event_id)[person_id]


def cards_for(
    viewer_id: int | None, people: Collection[User], *, event_id: int | None = None
) -> dict[int, PersonCard | None]:
    """Each person's card as the viewer sees it now, by user id (None: the viewer may not see them)."""
    relations = relations_to(viewer_id, [person.id for person in people], event_id=event_id)
    return {person.id: card_for(person, relations[person.id]) for person in people}


# For queries that leave people out (the directory, suggestions): made once, so they are compiled once.
_sides_mine, _sides_theirs = aliased(ConnectionSide), aliased(ConnectionSide)


def blocked_either_way(viewer_id: int | Collection[int]) -> Select:
    """The ids of everyone the viewer blocked or who blocked the viewer, for a query to leave them out; given several
    viewers (an event's organizers), everyone in a block with any of them."""
    if isinstance(viewer_id, int):
        blocker, blocked = Block.blocker_id == viewer_id, Block.blocked_id == viewer_id
    else:
        blocker, blocked = Block.blocker_id.in_(viewer_id), Block.blocked_id.in_(viewer_id)
    return (
        union(
            select(Block.blocked_id).where(blocker),
            select(Block.blocker_id).where(blocked),
        )
        .subquery()
        .select()
    )


def in_a_block(user_id: int, person_id: int) -> bool:
    """Whether either of two people blocked the other."""
    either = or_(
        and_(Block.blocker_id == user_id, Block.blocked_id == person_id),
        and_(Block.blocker_id == person_id, Block.blocked_id == user_id),
    )
    return bool(db.session.scalar(select(exists().where(either))))


def no_block_with(viewer_id: int | BindParameter[int]) -> ColumnElement[bool]:
    """Whether no block stands, either way, between the viewer and the person (`User`) of the query's row. A NOT
    EXISTS, which PostgreSQL estimates well: `User.id.not_in(blocked_either_way(...))` it counts as half the table,
    so that a directory filter finding 150 people read all 10,000 to look them up."""
    return ~exists().where(
        or_(
            and_(Block.blocker_id == viewer_id, Block.blocked_id == User.id),
            and_(Block.blocked_id == viewer_id, Block.blocker_id == User.id),
        )
    )


def met(viewer_id: int | BindParameter[int]) -> Select:
    """The ids of everyone the viewer has a connection with, removed or not (they met)."""
    return select(ConnectionSide.other_id).where(ConnectionSide.user_id == viewer_id)


def connected(viewer_id: int) -> Select:
    """The ids of the viewer's connections that neither of them removed (`Relation.connection`)."""
    return (
        select(_sides_mine.other_id)
        .join(
            _sides_theirs,
            and_(
                _sides_theirs.connection_id == _sides_mine.connection_id, _sides_theirs.user_id == _sides_mine.other_id
            ),
        )
        .where(_sides_mine.user_id == viewer_id, _sides_mine.removed_at.is_(None), _sides_theirs.removed_at.is_(None))
    )


_viewer, _event = bindparam("viewer"), bindparam("event")
_mine, _theirs = aliased(ConnectionSide), aliased(ConnectionSide)
_viewer_at, _other_at = aliased(Registration), aliased(Registration)


def _relation(relation: Relation) -> ColumnElement[int]:
    """A relation as the first column of a row of `_RELATIONS` (its flag's value)."""
    return literal_column(str(relation.value), Integer)


def _relations(dialect: str, at_event: bool) -> CompoundSelect:
    """The statement of `relations_to` for one database: (relation, person id) rows, a part of the UNION ALL for
    each kind of relation; `at_event`: only that event makes people co-attendees or the viewer their organizer."""

    def among_others(column: ColumnElement[int]) -> ColumnElement[bool]:
        return among_ids(column, "others", dialect)

    # One of them blocked the other, ...
    blocks = select(
        _relation(Relation.blocked), case((Block.blocker_id == _viewer, Block.blocked_id), else_=Block.blocker_id)
    ).where(
        or_(
            and_(Block.blocker_id == _viewer, among_others(Block.blocked_id)),
            and_(Block.blocked_id == _viewer, among_others(Block.blocker_id)),
        )
    )
    # ... they met, and whether neither removed the connection since, ...
    connections = (
        select(
            case(
                (_mine.removed_at.is_(None) & _theirs.removed_at.is_(None), _relation(Relation.connection)),
                else_=_relation(Relation.met),
            ),
            _mine.other_id,
        )
        .join(_theirs, and_(_theirs.connection_id == _mine.connection_id, _theirs.user_id == _mine.other_id))
        .where(_mine.user_id == _viewer, among_others(_mine.other_id))
    )
    # ... both are confirmed for an event, ...
    co_attendees = (
        select(_relation(Relation.co_attendee), _other_at.user_id)
        .join(_viewer_at, _viewer_at.event_id == _other_at.event_id)
        .where(
            _viewer_at.user_id == _viewer,
            _viewer_at.status == RegistrationStatus.confirmed,
            among_others(_other_at.user_id),
            _other_at.status == RegistrationStatus.confirmed,
        )
    )
    # ... the person registered (in any state: the organizers' list keeps them) for an event the viewer organizes.
    organized = (
        select(_relation(Relation.organizer), Registration.user_id)
        .join(EventOrganizer, EventOrganizer.event_id == Registration.event_id)
        .where(EventOrganizer.user_id == _viewer, among_others(Registration.user_id))
    )
    if at_event:
        co_attendees = co_attendees.where(_other_at.event_id == _event)
        organized = organized.where(Registration.event_id == _event)
    return union_all(blocks, connections, co_attendees, organized)


# Built once: SQLAlchemy then compiles each once, and every call only binds its values. By whether one event is
# asked about, then by database.
_RELATIONS = {at_event: in_dialect(partial(_relations, at_event=at_event)) for at_event in (False, True)}
