"""Connection views of many people at once: `my_connections(user, event_id=…)` of a whole chunk of people in a
fixed number of queries, for the follow-up emails of an event (netevents/summary). The same visibility policy as
one person's list (`connections.views_of`), with the relations read for exactly the pairs asked about."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Row, bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from netevents.accounts.models import User
from netevents.db import execute_in_dialect
from netevents.events.models import EventOrganizer
from netevents.extensions import db
from netevents.people.answers import ConnectionView, Meeting
from netevents.people.connections import MEETINGS_OF_CONNECTIONS
from netevents.people.models import Block, ConnectionSide, Exchange
from netevents.people.visibility import Relation, card_for
from netevents.registrations.models import Registration, RegistrationStatus


def connections_at_event_for_each(users: Sequence[User], event_id: int) -> dict[int, list[ConnectionView]]:
    """`my_connections(user, event_id=event_id)` of each of `users`, by user id, in seven queries however many
    people (the follow-up emails of a whole event, a chunk of people at a time).

    The same policy as `views_of`: each other person's card through `card_for`, with the relation that
    `relations_to` would find (a block either way, the connection or a past meeting, an event shared, an event the
    viewer organizes), read here for exactly the pairs asked about.
    """
    found: dict[int, list[ConnectionView]] = {user.id: [] for user in users}
    if not users:
        return found
    sides = db.session.execute(_SIDES_AT_EVENT, {"viewers": list(found), "event": event_id}).all()
    if not sides:
        return found
    others = {
        user.id: user for user in db.session.scalars(select(User).where(User.id.in_({s.other_id for s in sides})))
    }
    relations = _relations_of_pairs(sides)
    rows = execute_in_dialect(
        MEETINGS_OF_CONNECTIONS, {"connection_ids": list({side.connection_id for side in sides})}
    ).all()
    meetings: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        meetings[row[1]].append(row)
    for side in sides:
        relation = relations[side.user_id, side.other_id]
        card = card_for(others[side.other_id], relation)
        met = _meetings_seen_by(side.user_id, meetings.get(side.connection_id, ()))
        if card is None or not met:
            continue
        found[side.user_id].append(
            ConnectionView(
                id=side.connection_id,
                other=card,
                connected=Relation.connection in relation,
                i_scanned=any(m.by_me for m in met),
                scanned_me=any(not m.by_me for m in met),
                first_met_at=met[0].scanned_at,
                last_met_at=met[-1].scanned_at,
                meetings=met,
                tags=tuple(side.tags),
                note=side.note,
                followed_up=side.followed_up_at is not None,
            )
        )
    for views in found.values():
        views.sort(key=lambda view: (view.last_met_at, view.id), reverse=True)
    return found


_viewers = bindparam("viewers", expanding=True)
_connections_asked = bindparam("connection_ids", expanding=True)
#: Columns, not entities: a chunk reads a thousand sides, and only reads them.
_SIDES_AT_EVENT = select(
    ConnectionSide.connection_id,
    ConnectionSide.user_id,
    ConnectionSide.other_id,
    ConnectionSide.tags,
    ConnectionSide.note,
    ConnectionSide.followed_up_at,
).where(
    ConnectionSide.user_id.in_(_viewers),
    ConnectionSide.removed_at.is_(None),
    exists().where(Exchange.connection_id == ConnectionSide.connection_id, Exchange.event_id == bindparam("event")),
)
#: Both sides of the connections asked about: whether the other side removed it too.
_BOTH_SIDES = select(ConnectionSide.connection_id, ConnectionSide.user_id, ConnectionSide.removed_at.is_(None)).where(
    ConnectionSide.connection_id.in_(_connections_asked)
)
_BLOCKS_OF_VIEWERS = select(Block.blocker_id, Block.blocked_id).where(
    or_(Block.blocker_id.in_(_viewers), Block.blocked_id.in_(_viewers))
)
_viewer_side, _at_viewer, _at_other = aliased(ConnectionSide), aliased(Registration), aliased(Registration)
#: (viewer, other) of the viewers' sides asked about whose two people were both confirmed for some event.
_CO_ATTENDING_PAIRS = select(_viewer_side.user_id, _viewer_side.other_id).where(
    _viewer_side.user_id.in_(_viewers),
    _viewer_side.connection_id.in_(_connections_asked),
    exists()
    .where(
        _at_viewer.user_id == _viewer_side.user_id,
        _at_viewer.status == RegistrationStatus.confirmed,
        _at_other.event_id == _at_viewer.event_id,
        _at_other.user_id == _viewer_side.other_id,
        _at_other.status == RegistrationStatus.confirmed,
    )
    .correlate(_viewer_side),
)
#: (viewer, other) where the viewer organizes an event the other registered for (in any state).
_ORGANIZING_PAIRS = select(_viewer_side.user_id, _viewer_side.other_id).where(
    _viewer_side.user_id.in_(_viewers),
    _viewer_side.connection_id.in_(_connections_asked),
    exists()
    .where(
        EventOrganizer.user_id == _viewer_side.user_id,
        Registration.event_id == EventOrganizer.event_id,
        Registration.user_id == _viewer_side.other_id,
    )
    .correlate(_viewer_side),
)


def _relations_of_pairs(sides: Sequence[Row]) -> dict[tuple[int, int], Relation]:
    """`relations_to(viewer, [other])` of the (viewer, other) pair of each of these sides (the viewers' own, not
    removed), in four queries."""
    viewer_ids = list({side.user_id for side in sides})
    connection_ids = list({side.connection_id for side in sides})
    relations = dict.fromkeys(((side.user_id, side.other_id) for side in sides), Relation.stranger)
    for blocker, blocked in db.session.execute(_BLOCKS_OF_VIEWERS, {"viewers": viewer_ids}):
        for pair in ((blocker, blocked), (blocked, blocker)):
            if pair in relations:
                relations[pair] |= Relation.blocked
    kept = {
        (connection_id, user_id): bool(not_removed)
        for connection_id, user_id, not_removed in db.session.execute(_BOTH_SIDES, {"connection_ids": connection_ids})
    }
    for side in sides:
        # The viewer's side is kept: a connection if the other kept theirs too, else a past meeting.
        both = kept.get((side.connection_id, side.other_id), False)
        relations[side.user_id, side.other_id] |= Relation.connection if both else Relation.met
    values = {"viewers": viewer_ids, "connection_ids": connection_ids}
    # These read the viewers' sides of the connections by id: a side removed (not asked about) is left out here.
    for query, relation in ((_CO_ATTENDING_PAIRS, Relation.co_attendee), (_ORGANIZING_PAIRS, Relation.organizer)):
        for viewer_id, other_id in db.session.execute(query, values):
            if (viewer_id, other_id) in relations:
                relations[viewer_id, other_id] |= relation
    return relations


def _meetings_seen_by(user_id: int, rows) -> tuple[Meeting, ...]:
    """The meetings of one connection (rows of MEETINGS_OF_CONNECTIONS, oldest first) as `user_id` sees them."""
    return tuple(
        Meeting(
            id=exchange_id,
            event_id=event_id,
            event_title=title,
            scanned_at=scanned_at,
            by_me=scanner_id == user_id,
            actions=tuple(actions) if scanner_id == user_id else None,
            event_timezone=timezone,
        )
        for exchange_id, _connection_id, event_id, title, scanned_at, scanner_id, actions, timezone in rows
    )
