"""Connections: made race-free by an exchange, then each person's own list, note, tags and follow-up.

One connection per unordered pair is made by construction: `INSERT ... ON CONFLICT DO NOTHING` on the pair's
unique (low_id, high_id), then a read, never a read-then-write. Of two people scanning each other at the same
instant one inserts it; on PostgreSQL the other's insert waits for that transaction and then does nothing
(SQLite runs one write transaction at a time), and both read the same row.
"""

import enum
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, exists, select, update
from sqlalchemy.orm import Bundle

from netevents.accounts.models import User
from netevents.db import among_ids, execute_in_dialect, in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import NotFound
from netevents.events.models import Event
from netevents.extensions import db
from netevents.pagination import page_of_list
from netevents.people.answers import ConnectionEvent, ConnectionView, Meeting
from netevents.people.models import CONNECTION_NOTE_LENGTH, Connection, ConnectionSide, Exchange
from netevents.people.relations import PERSON_SEEN, relations_to
from netevents.people.visibility import Relation, card_for

_connection, _side = table_of(Connection), table_of(ConnectionSide)
_this_side = (_side.c.connection_id == bindparam("side_of")) & (_side.c.user_id == bindparam("side_for"))

# Built once (each compiled once per database); run on the request's connection, in its transaction.
_NEW_CONNECTION = {
    name: insert.returning(_connection.c.id)
    for name, insert in insert_unless_present(_connection, "low_id", "high_id").items()
}
_CONNECTION_OF_PAIR = select(_connection.c.id).where(
    _connection.c.low_id == bindparam("low_id"), _connection.c.high_id == bindparam("high_id")
)
_NEW_SIDES = insert_unless_present(_side, "connection_id", "user_id")
_other_side = _side.alias("other_side")
_SIDE_TO_NOTE = (
    select(
        _side.c.tags,
        _side.c.note,
        _side.c.removed_at.is_not(None).label("removed"),
        select(_other_side.c.removed_at.is_(None))
        .where(_other_side.c.connection_id == _side.c.connection_id, _other_side.c.user_id == _side.c.other_id)
        .scalar_subquery()
        .label("kept_by_them"),
    )
    .where(_this_side)
    .with_for_update(of=_side)
)
_NOTE_MEETING = (
    update(_side)
    .where(_this_side)
    .values(removed_at=None, tags=bindparam("tags"), note=bindparam("note"), updated_at=bindparam("now"))
)


def connect(scanner_id: int, scanned_id: int, actions: tuple[str, ...] = (), note: str = "") -> tuple[int, bool]:
    """The connection of two people, made if they never met; its id, and whether it is new. A new one starts with
    the scan's actions and note on the scanner's side; an existing one is left as it is (`note_meeting` adds them).
    """
    low_id, high_id = sorted((scanner_id, scanned_id))
    first = {"tags": list(dict.fromkeys(actions)), "note": note[:CONNECTION_NOTE_LENGTH]}
    now = utcnow()
    pair = {"low_id": low_id, "high_id": high_id}
    created = execute_in_dialect(_NEW_CONNECTION, {**pair, "created_at": now}).scalar()
    connection_id = created or db.session.connection().execute(_CONNECTION_OF_PAIR, pair).scalar_one()
    sides = [
        {
            "connection_id": connection_id,
            "user_id": user_id,
            "other_id": other,
            **(first if user_id == scanner_id else {"tags": [], "note": ""}),
            "updated_at": now,
        }
        for user_id, other in ((low_id, high_id), (high_id, low_id))
    ]
    execute_in_dialect(_NEW_SIDES, sides)
    return connection_id, created is not None


class MeetingNoted(enum.Enum):
    """What a meeting of two people who had met before did to their connection, for the scanner's message."""

    #: Both kept it: the meeting is added.
    added = enum.auto()
    #: The scanner had removed it (or a block had ended it) and the other had not: they are connected again.
    reconnected = enum.auto()
    #: The other person removed it: the scanner's side is back, and they are connected once the other scans too.
    waiting_for_them = enum.auto()


def note_meeting(connection_id: int, user_id: int, actions: tuple[str, ...], note: str) -> MeetingNoted:
    """Add a meeting's actions and note to the scanner's side; scanning again restores a side they removed."""
    side = {"side_of": connection_id, "side_for": user_id}
    # Locked until commit (the scanner's side).
    tags, earlier_note, removed, kept_by_them = db.session.connection().execute(_SIDE_TO_NOTE, side).one()
    new_tags = [action for action in dict.fromkeys(actions) if action not in tags]
    if note and note in earlier_note.split("\n\n"):
        note = ""  # the same note sent again (a scan repeated) is kept once
    if note:
        # Each meeting's note is added, up to the note's length: a phone repeating a scan cannot grow it without end.
        note = (f"{earlier_note}\n\n{note}" if earlier_note else note)[:CONNECTION_NOTE_LENGTH]
    db.session.connection().execute(
        _NOTE_MEETING, {**side, "tags": tags + new_tags, "note": note or earlier_note, "now": utcnow()}
    )
    if not kept_by_them:
        return MeetingNoted.waiting_for_them
    return MeetingNoted.reconnected if removed else MeetingNoted.added


def connection_view(user_id: int, connection_id: int) -> ConnectionView | None:
    """A connection as `user_id` sees it now; None if it is not in their list (removed, or a block between them)."""
    return connection_views(user_id, [connection_id]).get(connection_id)


def connection_views(user_id: int, connection_ids: Collection[int]) -> dict[int, ConnectionView]:
    """`connection_view` of several connections, by id, in a fixed number of queries."""
    if not connection_ids:
        return {}
    sides = db.session.execute(_MY_SIDES_OF, {"user_id": user_id, "connection_ids": list(connection_ids)}).all()
    return {view.id: view for view in views_of(user_id, sides)}


def my_connections(
    user: User, *, event_id: int | None = None, q: str | None = None, followed_up: bool | None = None
) -> list[ConnectionView]:
    """My connections, most recently met first: all of them or those matching (the list, its downloads).

    `q` matches what I can see of them (name, company, headline), so a search never finds someone by a detail
    they hide from me: it is applied to the cards, after the visibility policy, not in SQL. `followed_up` keeps
    those I marked followed up (true) or not yet (false).
    """
    query = _sides_with_others().where(ConnectionSide.user_id == user.id, ConnectionSide.removed_at.is_(None))
    if followed_up is not None:
        query = query.where(
            ConnectionSide.followed_up_at.is_not(None) if followed_up else ConnectionSide.followed_up_at.is_(None)
        )
    if event_id is not None:
        # Per side, through the index on exchange.connection_id: an IN over the event's exchanges read all of them
        # for every person (18 ms a person at an event of 10,000 meetings, on SQLite).
        query = query.where(
            exists().where(Exchange.connection_id == ConnectionSide.connection_id, Exchange.event_id == event_id)
        )
    views = views_of(user.id, db.session.execute(query).all())
    if q:
        needle = q.casefold()
        views = [
            view
            for view in views
            if any(
                needle in (text or "").casefold() for text in (view.other.name, view.other.company, view.other.headline)
            )
        ]
    return sorted(views, key=lambda view: (view.last_met_at, view.id), reverse=True)


def list_connections(user: User, *, page: int, per_page: int, **filters) -> dict:
    """A page of my connections (see `my_connections` for the filters)."""
    return page_of_list(my_connections(user, **filters), page, per_page)


def connection_events(user: User) -> list[ConnectionEvent]:
    """The events where I met the people in my list, most recent meeting first, each with how many of them I met
    there and how many of those I followed up: counted from the list itself, so a block or a removal counts out."""
    met: dict[int, list[ConnectionView]] = {}
    last: dict[int, datetime] = {}
    for view in my_connections(user):
        for meeting in view.meetings:
            if meeting.event_id is not None:
                last[meeting.event_id] = max(last.get(meeting.event_id, meeting.scanned_at), meeting.scanned_at)
        for event_id in {meeting.event_id for meeting in view.meetings if meeting.event_id is not None}:
            met.setdefault(event_id, []).append(view)
    if not met:
        return []
    events = db.session.scalars(select(Event).where(Event.id.in_(met.keys())))
    found = [
        ConnectionEvent(
            event_id=event.id,
            title=event.title,
            starts_at=event.starts_at,
            timezone=event.timezone,
            connections=len(met[event.id]),
            followed_up=sum(view.followed_up for view in met[event.id]),
            last_met_at=last[event.id],
        )
        for event in events
    ]
    return sorted(found, key=lambda found: (found.last_met_at, found.event_id), reverse=True)


def get_connection(user: User, connection_id: int) -> ConnectionView:
    view = connection_view(user.id, connection_id)
    if view is None:
        raise NotFound("connection")
    return view


def update_connection(user: User, connection_id: int, changes: dict) -> ConnectionView:
    """Change my own note, tags or follow-up of a connection; the other side's are theirs."""
    get_connection(user, connection_id)  # in my list, no block between us
    side = _locked_side(connection_id, user.id)
    if "tags" in changes:  # my own words, checked as text by the schema; the exchanges' actions sign bingo squares
        side.tags = list(dict.fromkeys(changes["tags"]))
    if "note" in changes:
        side.note = changes["note"]
    if "followed_up" in changes:
        side.followed_up_at = (side.followed_up_at or utcnow()) if changes["followed_up"] else None
    db.session.flush()
    return connection_view(user.id, connection_id)


def remove_connection(user: User, connection_id: int) -> None:
    """Remove a connection from my list: my note and tags are erased, and from now on neither of us sees the
    other's connections-only details. The other person keeps their own note (see ConnectionSide)."""
    get_connection(user, connection_id)
    remove_side(_locked_side(connection_id, user.id))


def remove_side(side: ConnectionSide) -> None:
    side.removed_at = utcnow()
    side.tags, side.note, side.followed_up_at = [], "", None
    db.session.flush()


#: What a list of connections reads of my side of each, as columns (only read, never changed).
_SIDE_LISTED = Bundle(
    "side",
    ConnectionSide.connection_id,
    ConnectionSide.other_id,
    ConnectionSide.tags,
    ConnectionSide.note,
    ConnectionSide.followed_up_at,
)


def _sides_with_others() -> Select[tuple[Row, Row]]:
    """Sides of connections, each with the other person (whose choices say what I see of them): one query."""
    return select(_SIDE_LISTED, PERSON_SEEN).join(User, User.id == ConnectionSide.other_id)


#: `connection_views`' statement, built once: the answer of every exchange reads it.
_MY_SIDES_OF = _sides_with_others().where(
    ConnectionSide.connection_id.in_(bindparam("connection_ids", expanding=True)),
    ConnectionSide.user_id == bindparam("user_id"),
    ConnectionSide.removed_at.is_(None),
)


def views_of(user_id: int, sides: Sequence[tuple[Row, Row]]) -> list[ConnectionView]:
    """My sides of connections (each with the other person; `_sides_with_others`) as I see them now, leaving out
    anyone hidden from me (a block either way)."""
    if not sides:
        return []
    relations = relations_to(user_id, {other.id for _side, other in sides})
    meetings = meetings_of(user_id, [side.connection_id for side, _other in sides])
    views = []
    for side, other in sides:
        card = card_for(other, relations[other.id])
        met = meetings.get(side.connection_id, ())
        if card is None or not met:
            continue
        views.append(
            ConnectionView(
                id=side.connection_id,
                other=card,
                connected=Relation.connection in relations[side.other_id],
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
    return views


def _locked_side(connection_id: int, user_id: int) -> ConnectionSide:
    """My side, locked until commit (PostgreSQL; SQLite's write transactions are serial already)."""
    return db.session.scalars(
        select(ConnectionSide)
        .where(ConnectionSide.connection_id == connection_id, ConnectionSide.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


#: Every meeting of some connections (bound as "connection_ids"), oldest first, by database (`execute_in_dialect`).
MEETINGS_OF_CONNECTIONS = in_dialect(
    lambda dialect: (
        select(
            Exchange.id,
            Exchange.connection_id,
            Exchange.event_id,
            Event.title,
            Exchange.scanned_at,
            Exchange.scanner_id,
            Exchange.actions,
            Event.timezone,
        )
        .outerjoin(Event, Event.id == Exchange.event_id)
        .where(among_ids(Exchange.connection_id, "connection_ids", dialect))
        .order_by(Exchange.scanned_at, Exchange.id)
    )
)


def meetings_of(user_id: int, connection_ids: list[int]) -> dict[int, tuple[Meeting, ...]]:
    """Every meeting of these connections, oldest first, as `user_id` sees them, by connection id."""
    rows = execute_in_dialect(MEETINGS_OF_CONNECTIONS, {"connection_ids": connection_ids}).all()
    meetings: dict[int, list[Meeting]] = {}
    for exchange_id, connection_id, event_id, title, scanned_at, scanner_id, actions, timezone in rows:
        by_me = scanner_id == user_id
        meetings.setdefault(connection_id, []).append(
            Meeting(
                id=exchange_id,
                event_id=event_id,
                event_title=title,
                scanned_at=scanned_at,
                by_me=by_me,
                actions=tuple(actions) if by_me else None,
                event_timezone=timezone,
            )
        )
    return {connection_id: tuple(met) for connection_id, met in meetings.items()}
