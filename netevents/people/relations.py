"""How a viewer is related to people, read from the database as it is now: the input of people/visibility.py.

Four queries however many people are asked about (blocks, connections, shared events, organized events),
so a list of connections or a directory page costs the same as one person.
"""

from collections.abc import Collection, Iterable

from sqlalchemy import Select, and_, bindparam, or_, select, union
from sqlalchemy.orm import aliased

from netevents.accounts.models import User
from netevents.events.models import EventOrganizer
from netevents.extensions import db
from netevents.people.models import Block, ConnectionSide
from netevents.people.visibility import PersonCard, Relation, card_for
from netevents.registrations.models import Registration, RegistrationStatus


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
    for person_id in _blocked(viewer_id, others):
        relations[person_id] |= Relation.blocked
    for person_id, connected in _connections(viewer_id, others):
        relations[person_id] |= Relation.connection if connected else Relation.met
    for person_id in _co_attendees(viewer_id, others, event_id):
        relations[person_id] |= Relation.co_attendee
    for person_id in _organized(viewer_id, others, event_id):
        relations[person_id] |= Relation.organizer
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


def blocked_either_way(viewer_id: int) -> Select:
    """The ids of everyone the viewer blocked or who blocked the viewer, for a query to leave them out."""
    return (
        union(
            select(Block.blocked_id).where(Block.blocker_id == viewer_id),
            select(Block.blocker_id).where(Block.blocked_id == viewer_id),
        )
        .subquery()
        .select()
    )


def met(viewer_id: int) -> Select:
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


def is_blocked(one_id: int, other_id: int) -> bool:
    """Whether either of two people blocked the other."""
    return bool(_blocked(one_id, {other_id}))


_viewer, _others, _event = bindparam("viewer"), bindparam("others", expanding=True), bindparam("event")
_mine, _theirs = aliased(ConnectionSide), aliased(ConnectionSide)
_viewer_at, _other_at = aliased(Registration), aliased(Registration)

# Built once: SQLAlchemy then compiles each once per database, and every call only binds its values.
_BLOCKS = select(Block.blocker_id, Block.blocked_id).where(
    or_(
        and_(Block.blocker_id == _viewer, Block.blocked_id.in_(_others)),
        and_(Block.blocked_id == _viewer, Block.blocker_id.in_(_others)),
    )
)
_CONNECTIONS = (
    select(_mine.other_id, _mine.removed_at.is_(None) & _theirs.removed_at.is_(None))
    .join(_theirs, and_(_theirs.connection_id == _mine.connection_id, _theirs.user_id == _mine.other_id))
    .where(_mine.user_id == _viewer, _mine.other_id.in_(_others))
)
_CO_ATTENDEES = (
    select(_other_at.user_id)
    .distinct()
    .join(_viewer_at, _viewer_at.event_id == _other_at.event_id)
    .where(
        _viewer_at.user_id == _viewer,
        _viewer_at.status == RegistrationStatus.confirmed,
        _other_at.user_id.in_(_others),
        _other_at.status == RegistrationStatus.confirmed,
    )
)
#: People registered (in any state: the organizers' list keeps them) for an event the viewer organizes.
_ORGANIZED = (
    select(Registration.user_id)
    .distinct()
    .join(EventOrganizer, EventOrganizer.event_id == Registration.event_id)
    .where(EventOrganizer.user_id == _viewer, Registration.user_id.in_(_others))
)
_AT_EVENT = {
    _CO_ATTENDEES: _CO_ATTENDEES.where(_other_at.event_id == _event),
    _ORGANIZED: _ORGANIZED.where(Registration.event_id == _event),
}


def _blocked(viewer_id: int, others: set[int]) -> set[int]:
    rows = db.session.execute(_BLOCKS, {"viewer": viewer_id, "others": list(others)})
    return {blocked if blocker == viewer_id else blocker for blocker, blocked in rows}


def _connections(viewer_id: int, others: set[int]) -> list[tuple[int, bool]]:
    """(person, connected) for each person the viewer has a connection with; connected: neither removed it."""
    rows = db.session.execute(_CONNECTIONS, {"viewer": viewer_id, "others": list(others)})
    return [(person_id, bool(connected)) for person_id, connected in rows]


def _co_attendees(viewer_id: int, others: set[int], event_id: int | None) -> set[int]:
    return _people(_CO_ATTENDEES, viewer_id, others, event_id)


def _organized(viewer_id: int, others: set[int], event_id: int | None) -> set[int]:
    return _people(_ORGANIZED, viewer_id, others, event_id)


def _people(query, viewer_id: int, others: set[int], event_id: int | None) -> set[int]:
    """The ids the query finds among `others`, at any event or at `event_id`."""
    values = {"viewer": viewer_id, "others": list(others)}
    if event_id is None:
        return set(db.session.scalars(query, values))
    return set(db.session.scalars(_AT_EVENT[query], {**values, "event": event_id}))
